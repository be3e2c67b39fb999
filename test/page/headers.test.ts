// Contract §8: the status page and the API reference are shells with no data and no secret, served
// with headers that leave no room for injected scripts; every file they load comes from ferry.
import { expect, it } from "vitest";
import { api, TOKEN } from "../support/ferry";

const directives = (res: Response) =>
  Object.fromEntries((res.headers.get("content-security-policy") ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

it.each(["/", "/docs"])("%s is HTML that holds no secret, with a strict CSP, no-store, nosniff and no referrer", async (path) => {
  const res = await api(path, { token: null });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  const csp = directives(res);
  for (const d of ["default-src", "script-src", "style-src", "connect-src"]) expect(csp[d], d).toEqual(["'self'"]);
  expect(csp["frame-ancestors"]).toEqual(["'none'"]);
  expect(csp["object-src"]).toEqual(["'none'"]);
  const html = await res.text();
  expect(html).not.toContain(TOKEN);
  expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/); // every script is a file
  expect(html).not.toMatch(/<style|\sstyle=/);
});

it("the status page refuses HTML strings in the DOM (Trusted Types), since it builds from text alone", async () => {
  const csp = directives(await api("/", { token: null }));
  expect(csp["require-trusted-types-for"]).toEqual(["'script'"]);
  expect(csp["trusted-types"]).toEqual(["'none'"]);
});

it("every file a page links is served by ferry, with its type", async () => {
  for (const page of ["/", "/docs"]) {
    const html = await (await api(page, { token: null })).text();
    const files = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((f) => f.startsWith("/assets/"));
    expect(files.length).toBeGreaterThanOrEqual(page === "/" ? 3 : 5);
    for (const file of files) {
      const res = await api(file, { token: null });
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type"), file).toMatch(file.endsWith(".js") ? /^text\/javascript/ : file.endsWith(".css") ? /^text\/css/ : /^image\/svg\+xml/);
      expect(res.headers.get("x-content-type-options"), file).toBe("nosniff");
      expect((await res.text()).length, file).toBeGreaterThan(100);
    }
  }
});

it("Swagger UI's files carry its version in their names, so the browser may keep them", async () => {
  const html = await (await api("/docs", { token: null })).text();
  const bundle = /src="(\/assets\/swagger-ui-[\d.]+\.js)"/.exec(html)?.[1];
  expect(bundle).toBeDefined();
  expect((await api(bundle!, { token: null })).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  expect((await api("/assets/status.js", { token: null })).headers.get("cache-control")).toBe("no-store");
});
