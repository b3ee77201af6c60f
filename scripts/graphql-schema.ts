/**
 * Writes src/features/graphql/schema.sdl.ts from schema.graphql, the source of truth, so the
 * Worker bundles the SDL as a string; both formatted by Biome, as `npm run lint` expects.
 * test/graphql/schema.test.ts fails when the module is stale.
 *
 *   npx tsx scripts/graphql-schema.ts
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = resolve(import.meta.dirname, '../src/features/graphql');
const source = `${dir}/schema.graphql`;
const generated = `${dir}/schema.sdl.ts`;
const biomeFormat = (file: string) =>
  execFileSync('npx', ['biome', 'format', '--write', file], { stdio: 'inherit' });

biomeFormat(source);
writeFileSync(
  generated,
  `// Generated from schema.graphql by scripts/graphql-schema.ts; do not edit.\nexport const SDL = ${JSON.stringify(readFileSync(source, 'utf8'))};\n`,
);
biomeFormat(generated);
