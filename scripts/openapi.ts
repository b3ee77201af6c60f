// The OpenAPI document as a deployment serves it, for the linter and the typed client.
//   npm run lint:openapi       -> tsx scripts/openapi.ts lint    (Redocly CLI, redocly.yaml)
//   npm run client:generate    -> tsx scripts/openapi.ts client  (src/client/openapi.d.ts)
//   tsx scripts/openapi.ts document [file]                       (default test-artifacts/openapi.json)
//   tsx scripts/openapi.ts snapshot   (test/node/openapi.snapshot.json: after a change to the
//                                      document, e.g. a merge; the snapshot test compares bytes)
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import {
  CLIENT_TYPES_PATH,
  clientTypes,
  DOCUMENT_SNAPSHOT,
  lintDocument,
  lintReport,
  ROOT,
  servedDocumentText,
  writeDocument,
} from './lib/openapi-tools';

const [command, arg] = process.argv.slice(2);

if (command === 'document') {
  const file = await writeDocument(arg);
  console.log(`Wrote ${relative(ROOT, file)}`);
} else if (command === 'lint') {
  const file = await writeDocument(arg);
  const { totals } = lintReport(file);
  // Warnings fail too: the contract is held to zero of both.
  if (totals.errors + totals.warnings > 0) {
    const { stdout, stderr } = lintDocument(file, 'stylish');
    process.stdout.write(stdout + stderr);
    process.exit(1);
  }
  console.log(
    `${relative(ROOT, file)}: 0 errors, 0 warnings (${totals.ignored} ignored by .redocly.lint-ignore.yaml)`,
  );
} else if (command === 'snapshot') {
  writeFileSync(DOCUMENT_SNAPSHOT, await servedDocumentText());
  console.log(`Wrote ${relative(ROOT, DOCUMENT_SNAPSHOT)}`);
} else if (command === 'client') {
  mkdirSync(dirname(CLIENT_TYPES_PATH), { recursive: true });
  writeFileSync(CLIENT_TYPES_PATH, await clientTypes());
  console.log(`Wrote ${relative(ROOT, CLIENT_TYPES_PATH)}`);
} else {
  console.error('usage: tsx scripts/openapi.ts document [file] | lint | client | snapshot');
  process.exit(2);
}
