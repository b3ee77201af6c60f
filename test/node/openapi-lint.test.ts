import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_ARTIFACT,
  type LintProblem,
  lintReport,
  servedDocument,
  writeDocument,
} from '../../scripts/lib/openapi-tools';

const describeProblem = (p: LintProblem) =>
  `${p.severity} ${p.ruleId} at ${p.location?.[0]?.pointer ?? '?'}: ${p.message}`;

describe('the OpenAPI document under Redocly CLI (recommended rules, redocly.yaml)', () => {
  it('has zero errors and zero warnings', async () => {
    // The path the ignore file (.redocly.lint-ignore.yaml) is keyed on.
    const file = await writeDocument(DOCUMENT_ARTIFACT, await servedDocument());
    const report = lintReport(file);
    expect(report.problems.map(describeProblem)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});
