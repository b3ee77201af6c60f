// Starts Swagger UI on /docs. A separate file so the page's CSP can forbid inline scripts.
window.addEventListener('DOMContentLoaded', () => {
  window.ui = window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'list',
    // The default validator badge calls a third-party host.
    validatorUrl: null,
    withCredentials: true,
    // The token pasted into Authorize survives a reload of the page.
    persistAuthorization: true,
  });
});
