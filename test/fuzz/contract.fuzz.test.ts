import { env, exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Operation, operationsOf } from './operations';
import { Finding, sendAndCheck, stats } from './oracle';
import { type Pools, requestArbitrary } from './request-arbitrary';
import { Actors, seedData } from './seed';

/**
 * Fuzzing from the contract: for every operation in /openapi.json, requests drawn from its
 * schemas (valid and invalid, as anonymous, a user, an admin and a stale token) must never
 * get a 5xx, only declared statuses with bodies that match their schemas, no internals, and
 * the media-type and conditional-request rules the document states.
 * FUZZ_RUNS (runs per operation) raises the budget; FUZZ_SEED replays a run.
 */
const RUNS = Number(env.FUZZ_RUNS) || 25;
const SEED = Number(env.FUZZ_SEED) || 20261206;
// After a finding, the operation is fuzzed again with that kind of finding set aside, so one
// bug does not hide the next; this many distinct findings per operation are enough to act on.
const MAX_FINDINGS_PER_OPERATION = 3;

const docResponse = await exports.default.fetch(new Request('http://localhost/openapi.json'));
const doc = await docResponse.json<Record<string, any>>();

// Deletes last, and deleting your own account very last, so earlier operations find their data.
const rank = (op: Operation) =>
  op.path === '/api/v1/users/me' && op.method === 'DELETE' ? 2 : op.method === 'DELETE' ? 1 : 0;
const operations = operationsOf(doc).sort((a, b) => rank(a) - rank(b));

// Requests that can delete, rename, demote or re-password the callers themselves.
const TOUCHES_ACCOUNTS = /\/users\/me|\/admin\/users\/|\/auth\//;

interface Reported {
  kind: string;
  message: string;
  counterexample: unknown;
  seed: number;
  path: string;
}

describe('fuzzing every operation from the OpenAPI document', () => {
  let actors: Actors;
  let pools: Pools;
  const started = Date.now();

  beforeAll(async () => {
    actors = await Actors.create();
    pools = await seedData(actors, doc);
  });

  afterAll(() => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `contract fuzz: ${stats.requests} requests to ${operations.length} operations in ${seconds} s (FUZZ_SEED=${SEED}, FUZZ_RUNS=${RUNS})`,
    );
  });

  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))(
    '%s',
    async (_name, op) => {
      const findings: Reported[] = [];
      const setAside = new Set<string>();
      const property = fc.asyncProperty(requestArbitrary(doc, op, pools), async (req) => {
        try {
          await sendAndCheck(op, req, actors, setAside);
        } finally {
          const succeeded = stats.lastStatus >= 200 && stats.lastStatus < 300;
          if (succeeded && TOUCHES_ACCOUNTS.test(op.path)) await actors.heal();
        }
      });
      while (findings.length < MAX_FINDINGS_PER_OPERATION) {
        const run = await fc.check(property, { seed: SEED + findings.length, numRuns: RUNS });
        if (!run.failed) break;
        const error = run.errorInstance;
        // Anything but a Finding is a fault of the fuzzer itself: stop and show it.
        if (!(error instanceof Finding)) throw error;
        setAside.add(error.kind);
        findings.push({
          kind: error.kind,
          message: error.message,
          counterexample: run.counterexample?.[0],
          seed: run.seed,
          path: run.counterexamplePath ?? '',
        });
      }
      const report = findings.map(
        (f) =>
          `- ${f.message}\n  counterexample: ${JSON.stringify(f.counterexample)}\n  replay: seed ${f.seed}, path "${f.path}"`,
      );
      if (report.length > 0)
        console.log(`contract fuzz finding(s) for ${_name}:\n${report.join('\n')}`);
      expect(report, `${_name}: contract fuzz findings`).toEqual([]);
    },
  );
});
