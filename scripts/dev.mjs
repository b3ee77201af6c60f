// npm run dev [-- <wrangler dev flags>]: everything a fresh clone needs, then wrangler dev.
// 1. .dev.vars with random secrets when missing  2. the settings checked (scripts/check-config.ts)
// 3. migrations + demo data (once, into --persist-to when given)  4. wrangler dev with
// --test-scheduled (crons at /cdn-cgi/handler/scheduled) on --port, PORT, or 8787.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { devOptions } from './lib/dev-options.mjs';

const root = join(import.meta.dirname, '..');
const devVars = join(root, '.dev.vars');

if (!existsSync(devVars)) {
  const secret = () => randomBytes(32).toString('base64url');
  writeFileSync(
    devVars,
    [
      '# Created by npm run dev (git-ignored). Production secrets: wrangler secret put NAME',
      'APP_ENV=development',
      `JWT_SECRET=${secret()}`,
      `IP_HASH_SALT=${secret()}`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  console.log('Created .dev.vars with random secrets.');
}

let options;
try {
  options = devOptions(process.argv.slice(2), process.env, parseEnv(readFileSync(devVars, 'utf8')));
} catch (err) {
  console.error(err.message);
  process.exit(2);
}

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('tsx', [
  'scripts/check-config.ts',
  'dev',
  ...Object.entries(options.varsOverDevVars).map(([name, value]) => `--var=${name}:${value}`),
]);
run('node', ['scripts/docs-assets.mjs']);
run('tsx', ['scripts/seed.ts', ...(options.persistTo ? ['--persist-to', options.persistTo] : [])]);

const dev = spawn('wrangler', options.wranglerArgs, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
