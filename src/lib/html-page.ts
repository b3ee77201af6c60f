import type { Context } from 'hono';

// The HTML pages this Worker serves (/docs, /graphql) load everything from this origin: their
// scripts and styles are static assets (public/*/assets, copied from node_modules), and the
// CSP forbids any other host and any inline script. Fonts may be data: URLs inside the CSS.
const SELF_ONLY_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function selfOnlyHtmlPage(c: Context, html: string) {
  c.header('Content-Security-Policy', SELF_ONLY_CSP);
  c.header('Cache-Control', 'public, max-age=300');
  return c.html(html, 200);
}

/** The document around a page's own head elements and body. */
export const htmlDocument = (title: string, head: string[], body: string[]) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${head.join('\n')}
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
