// /docs: Swagger UI (loaded just before this file, from ferry) renders ferry's own /openapi.json.
// "Try it out" sends the token given under "Authorize" with each call; nothing is stored.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
