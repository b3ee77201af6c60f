/**
 * Writes src/features/graphql/schema.sdl.ts from schema.graphql, the source of truth, so the
 * Worker bundles the SDL as a string. test/graphql/schema.test.ts fails when it is stale.
 *
 *   npx tsx scripts/graphql-schema.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const dir = `${resolve(import.meta.dirname, '../src/features/graphql')}/`;
const sdl = readFileSync(`${dir}schema.graphql`, 'utf8');
writeFileSync(
  `${dir}schema.sdl.ts`,
  `// Generated from schema.graphql by scripts/graphql-schema.ts; do not edit.\nexport const SDL = ${JSON.stringify(sdl)};\n`,
);
