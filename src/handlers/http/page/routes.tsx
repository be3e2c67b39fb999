// GET / (the status page) and GET /docs (the API reference), with every asset they load served from
// here: the browser fetches nothing from anywhere but ferry. Not in /openapi.json: they are pages,
// not API operations (like /openapi.json itself).
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import swaggerVersion from "swagger-ui-dist/package.json";
import swaggerCss from "swagger-ui-dist/swagger-ui.css";
import swaggerJs from "swagger-ui-dist/swagger-ui-bundle.js";
import type { AppEnv } from "../app-type";
import docsCss from "./assets/docs.css";
import docsJs from "./assets/docs.browser.js";
import favicon from "./assets/favicon.svg";
import statusCss from "./assets/status.css";
import statusJs from "./assets/status.browser.js";
import { DocsPage, StatusPage } from "./pages";

// Swagger UI's files are large and change only with its version, which their names carry: the
// browser keeps them. Everything else is small and always asked anew, so a deploy shows at once.
const SWAGGER_JS = `/assets/swagger-ui-${swaggerVersion.version}.js`;
const SWAGGER_CSS = `/assets/swagger-ui-${swaggerVersion.version}.css`;
const NO_STORE = "no-store";
const IMMUTABLE = "public, max-age=31536000, immutable";

const common = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The status page builds its DOM from text nodes only, so Trusted Types can refuse every HTML sink outright. */
const pageHeaders = secureHeaders({ contentSecurityPolicy: { ...common, requireTrustedTypesFor: ["'script'"], trustedTypes: ["'none'"] } });

/**
 * Swagger UI needs one thing more: its CSS draws icons from data: URLs. It runs no eval, no inline
 * script and no inline style element (React sets styles through the DOM, which CSP allows). It
 * renders descriptions as HTML (sanitised by DOMPurify), so Trusted Types stay off here.
 */
const docsHeaders = secureHeaders({ contentSecurityPolicy: { ...common, imgSrc: ["'self'", "data:"] } });

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";
const asset = (body: string, type: string, cacheControl = NO_STORE) => () =>
  new Response(body, { headers: { "Content-Type": type, "Cache-Control": cacheControl } });

export const pageRoutes = new Hono<AppEnv>()
  .use("/", pageHeaders)
  .use("/docs", docsHeaders)
  .use("/assets/*", secureHeaders())
  .get("/", (c) => c.html(<StatusPage />, 200, { "Cache-Control": NO_STORE }))
  .get("/docs", (c) => c.html(<DocsPage swaggerCss={SWAGGER_CSS} swaggerJs={SWAGGER_JS} />, 200, { "Cache-Control": NO_STORE }))
  .get("/assets/status.js", asset(statusJs, JS))
  .get("/assets/status.css", asset(statusCss, CSS))
  .get("/assets/docs.js", asset(docsJs, JS))
  .get("/assets/docs.css", asset(docsCss, CSS))
  .get("/assets/favicon.svg", asset(favicon, "image/svg+xml"))
  .get(SWAGGER_JS, asset(swaggerJs, JS, IMMUTABLE))
  .get(SWAGGER_CSS, asset(swaggerCss, CSS, IMMUTABLE));
