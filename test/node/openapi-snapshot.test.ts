import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_SNAPSHOT, servedDocumentText } from '../../scripts/lib/openapi-tools';

describe('/openapi.json', () => {
  it('is byte-identical to the stored copy (test/node/openapi.snapshot.json)', async () => {
    const served = await servedDocumentText();
    const stored = readFileSync(DOCUMENT_SNAPSHOT, 'utf8');
    // One readable line instead of a whole-document diff.
    expect(
      served === stored,
      'changed: if on purpose, run `npx tsx scripts/openapi.ts snapshot` and commit the file',
    ).toBe(true);
  });
});
