import { createRoute, z } from '@hono/zod-openapi';
import { EtagHeader, notModifiedResponse } from '../../lib/etag';
import { htmlDocument, selfOnlyHtmlPage } from '../../lib/html-page';
import { problemResponses } from '../../lib/openapi';
import { createRouter } from '../../lib/router';
import { serveStaticAsset } from '../../lib/static-assets';

export const DOCS_ASSET_BASE = '/docs/assets';

const page = htmlDocument(
  'μblog API reference',
  [
    `<link rel="stylesheet" href="${DOCS_ASSET_BASE}/swagger-ui.css">`,
    `<link rel="icon" href="${DOCS_ASSET_BASE}/favicon-32x32.png">`,
  ],
  [
    '<div id="swagger-ui"></div>',
    `<script src="${DOCS_ASSET_BASE}/swagger-ui-bundle.js"></script>`,
    '<script src="/docs/init.js"></script>',
  ],
);

const getDocs = createRoute({
  method: 'get',
  path: '/docs',
  operationId: 'getDocs',
  tags: ['Service'],
  summary: 'Interactive API reference',
  description:
    'An HTML page (Swagger UI) rendering /openapi.json. It loads nothing from any other host. Sends an ETag: If-None-Match with it gets 304.',
  security: [],
  responses: {
    200: {
      description: 'The reference page.',
      headers: EtagHeader,
      content: { 'text/html': { schema: z.string().openapi({ example: '<!doctype html>...' }) } },
    },
    ...notModifiedResponse,
    ...problemResponses(),
  },
});

export const docsRouter = createRouter();
docsRouter
  .openapi(getDocs, (c) => selfOnlyHtmlPage(c, page))
  .get(`${DOCS_ASSET_BASE}/*`, serveStaticAsset)
  .get('/docs/init.js', serveStaticAsset);
