// The API docs at /api/v1/docs: Swagger UI from the fastapi-offline package (loaded by the
// page before this module), started here rather than in an inline script. "Try it out"
// sends the CSRF token, as the app's own pages do.
import { csrfToken } from "./api.js";

const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [window.SwaggerUIBundle.presets.apis, window.SwaggerUIBundle.SwaggerUIStandalonePreset],
  requestInterceptor: (request) => {
    request.headers["X-CSRF-Token"] = csrfToken();
    return request;
  },
});
