// Copies the browser files of the two documentation pages from node_modules into public/, where
// Workers static assets serve them: Swagger UI for /docs (public/docs/assets) and GraphiQL with
// React for /graphql (public/graphql/assets). Run by `npm ci`/`npm install` (the prepare script).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const publicDir = join(import.meta.dirname, '..', 'public');

const copies = [
  {
    target: 'docs/assets',
    files: {
      'swagger-ui-dist': ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png'],
    },
  },
  {
    target: 'graphql/assets',
    files: {
      graphiql: ['graphiql.min.js', 'graphiql.min.css'],
      react: ['umd/react.production.min.js'],
      'react-dom': ['umd/react-dom.production.min.js'],
    },
  },
];

for (const { target, files } of copies) {
  const targetDir = join(publicDir, target);
  mkdirSync(targetDir, { recursive: true });
  for (const [pkg, paths] of Object.entries(files)) {
    const source = dirname(require.resolve(`${pkg}/package.json`));
    for (const path of paths) {
      copyFileSync(join(source, path), join(targetDir, basename(path)));
    }
  }
}
