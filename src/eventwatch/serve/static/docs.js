// Swagger UI over this server's OpenAPI schema; a separate file because the CSP forbids inline script.
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
