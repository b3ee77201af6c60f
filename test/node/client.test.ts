import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_PATH, clientTypes, ROOT } from '../../scripts/lib/openapi-tools';

const EXAMPLE = join(ROOT, 'test', 'client-example.ts');
// A whole TypeScript program: seconds alone, longer while the rest of the suite runs beside it.
const COMPILE_TIMEOUT_MS = 120_000;

describe('the typed client', () => {
  it('src/client/openapi.d.ts is what the current document generates', async () => {
    const expected = await clientTypes();
    const actual = readFileSync(CLIENT_TYPES_PATH, 'utf8');
    // One readable line instead of a 1,500-line diff.
    expect(actual === expected, 'stale: run `npm run client:generate` and commit the file').toBe(
      true,
    );
  });

  it(
    'compiles the usage example (openapi-fetch) against the generated types',
    () => {
      const config = ts.getParsedCommandLineOfConfigFile(
        join(ROOT, 'tsconfig.json'),
        {},
        { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
      );
      if (!config) throw new Error('tsconfig.json could not be read');
      // The example needs only fetch's types (from @types/node), not the Worker's.
      const program = ts.createProgram([EXAMPLE], { ...config.options, types: ['node'] });
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
        const where = d.file
          ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
          : '';
        return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
      expect(diagnostics).toEqual([]);
      expect(
        program.getSourceFile(CLIENT_TYPES_PATH),
        'the example uses the generated file',
      ).toBeTruthy();
    },
    COMPILE_TIMEOUT_MS,
  );
});
