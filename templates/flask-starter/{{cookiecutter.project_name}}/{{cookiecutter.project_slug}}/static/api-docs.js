// Swagger UI on /api/docs/: the page's settings are data attributes of
// #swagger-ui (the Content-Security-Policy runs no inline script).  Requests
// sent from the page use the login session, so writes carry its CSRF token.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  const unsafe = new Set(["POST", "PUT", "PATCH", "DELETE"]);
  window.ui = window.SwaggerUIBundle({
    domNode: root,
    url: root.dataset.specUrl,
    deepLinking: true,
    // No badge from the public validator: nothing leaves this site.
    validatorUrl: null,
    requestInterceptor: function (request) {
      if (unsafe.has(String(request.method).toUpperCase())) {
        request.headers["X-CSRFToken"] = root.dataset.csrfToken;
      }
      return request;
    },
  });
})();
