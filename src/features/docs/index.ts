import { createRoute, z } from '@hono/zod-openapi';
import type { Handler } from 'hono';
import type { AppEnv } from '../../env';
import { problemResponses } from '../../lib/openapi';
import { createRouter } from '../../lib/router';

export const DOCS_ASSET_BASE = '/docs/assets';

// Everything the page loads comes from this Worker: Swagger UI's files are static assets
// (public/docs/assets, copied from swagger-ui-dist), and the CSP forbids any other host.
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>μblog API reference</title>
<link rel="stylesheet" href="${DOCS_ASSET_BASE}/swagger-ui.css">
<link rel="icon" href="${DOCS_ASSET_BASE}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSET_BASE}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

const getDocs = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocs',
  tags: ['Service'],
  summary: 'Interactive API reference',
  description:
    'An HTML page (Swagger UI) rendering /openapi.json. It loads nothing from any other host.',
  security: [],
  responses: {
    200: {
      description: 'The reference page.',
      content: { 'text/html': { schema: z.string().openapi({ example: '<!doctype html>...' }) } },
    },
    ...problemResponses(),
  },
});

/**
 * The page's static files, from the assets binding. wrangler.toml routes /docs/* to the Worker
 * first (`run_worker_first`), so these answers carry X-Request-Id like every other response.
 * Copied into a new Response: a fetched response's headers cannot be changed.
 */
const serveAsset: Handler<AppEnv> = async (c) => {
  const asset = await c.env.ASSETS.fetch(c.req.raw);
  return new Response(asset.body, asset);
};

export const docsRouter = createRouter()
  .openapi(getDocs, (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(page, 200);
  })
  .get(`${DOCS_ASSET_BASE}/*`, serveAsset)
  .get('/docs/init.js', serveAsset);
