import { accepts } from 'hono/accepts';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env';
import { htmlDocument, selfOnlyHtmlPage } from '../../lib/html-page';
import { createRouter } from '../../lib/router';
import { serveStaticAsset } from '../../lib/static-assets';

const GRAPHIQL_ASSET_BASE = '/graphql/assets';

// GraphiQL's UMD build with React 18, copied from node_modules by scripts/docs-assets.mjs;
// /graphql/init.js starts it (a file, so the CSP can forbid inline scripts).
const page = htmlDocument(
  'μblog GraphQL',
  [
    `<link rel="stylesheet" href="${GRAPHIQL_ASSET_BASE}/graphiql.min.css">`,
    '<link rel="icon" href="data:,">',
    '<style>body { margin: 0; } #graphiql { height: 100dvh; }</style>',
  ],
  [
    '<div id="graphiql"></div>',
    `<script src="${GRAPHIQL_ASSET_BASE}/react.production.min.js"></script>`,
    `<script src="${GRAPHIQL_ASSET_BASE}/react-dom.production.min.js"></script>`,
    `<script src="${GRAPHIQL_ASSET_BASE}/graphiql.min.js"></script>`,
    '<script src="/graphql/init.js"></script>',
  ],
);

// A browser opening /graphql prefers HTML; GraphQL clients ask for JSON or send no preference.
const MEDIA_TYPES = ['application/graphql-response+json', 'application/json', 'text/html'];

/**
 * GET /graphql from a browser: the GraphiQL page. Every other request to /graphql (queries over
 * GET or POST) goes on to the GraphQL endpoint.
 */
export const graphiqlPage = createMiddleware<AppEnv>(async (c, next) => {
  const wantsPage =
    (c.req.method === 'GET' || c.req.method === 'HEAD') &&
    accepts(c, { header: 'Accept', supports: MEDIA_TYPES, default: 'application/json' }) ===
      'text/html';
  if (!wantsPage) return next();
  c.header('Vary', 'Accept');
  return selfOnlyHtmlPage(c, page);
});

/** GraphiQL's static files, through the Worker (wrangler.toml `run_worker_first`). */
export const graphiqlAssetsRouter = createRouter()
  .get(`${GRAPHIQL_ASSET_BASE}/*`, serveStaticAsset)
  .get('/graphql/init.js', serveStaticAsset);
