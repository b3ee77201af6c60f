// Copies Swagger UI's browser files from node_modules into public/docs/assets, where
// Workers static assets serve them. Run by `npm ci`/`npm install` (the prepare script).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const source = dirname(require.resolve('swagger-ui-dist/package.json'));
const target = join(import.meta.dirname, '..', 'public', 'docs', 'assets');
mkdirSync(target, { recursive: true });
for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png']) {
  copyFileSync(join(source, file), join(target, file));
}
