/**
 * Checks the Worker's settings with the schema the Worker itself uses (src/env.ts) before
 * wrangler starts, so a bad setting stops `npm run dev` / `npm run deploy` instead of
 * failing the first request. Exits 1 naming each bad setting (never its value).
 *   tsx scripts/check-config.ts dev [--var NAME:VALUE ...]   [vars] + .dev.vars + overrides
 *   tsx scripts/check-config.ts deploy                       [vars] (secrets live on Cloudflare)
 *   --config <path>                                           another wrangler.toml
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CheckMode, localSettings, settingProblems } from './lib/config-check';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string', default: join(import.meta.dirname, '..', 'wrangler.toml') },
    var: { type: 'string', multiple: true, default: [] },
  },
});
const mode = positionals[0];
if (mode !== 'dev' && mode !== 'deploy') {
  console.error(
    'usage: tsx scripts/check-config.ts dev|deploy [--config wrangler.toml] [--var NAME:VALUE ...]',
  );
  process.exit(2);
}
const overrides = Object.fromEntries(
  values.var.map((entry) => [
    entry.slice(0, entry.indexOf(':')),
    entry.slice(entry.indexOf(':') + 1),
  ]),
);
const problems = settingProblems(
  mode as CheckMode,
  localSettings(mode as CheckMode, values.config, overrides),
);
if (problems.length > 0) {
  const where =
    mode === 'dev' ? 'wrangler.toml [vars], .dev.vars and --var' : 'wrangler.toml [vars]';
  console.error(`Invalid configuration (${where}):`);
  for (const problem of problems) console.error(`  ${problem.name}: ${problem.message}`);
  console.error(
    'Fix the settings named above and run the command again (README.md, "Configuration").',
  );
  process.exit(1);
}
console.log(`Configuration OK (${mode}).`);
