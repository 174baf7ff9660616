import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from '../openapi.js';

const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The reference page: Swagger UI's own files, no inline script (helmet's CSP allows only 'self' scripts). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Taser crewing planner API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
});
`;

/**
 * `GET /api/openapi.json` (the OpenAPI 3.1 description, generated once here from the zod schemas) and
 * `GET /api/docs` (Swagger UI served from swagger-ui-dist in node_modules). Both are public.
 */
export function docsRouter(): Router {
  const doc = JSON.stringify(openApiDocument());
  const r = Router();
  r.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(doc);
  });
  r.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  r.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  r.use('/docs/assets', express.static(SWAGGER_UI, { index: false, fallthrough: true, maxAge: '1h' }));
  return r;
}
