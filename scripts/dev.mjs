// npm run dev: everything a fresh clone needs, then wrangler dev.
// 1. .dev.vars with random secrets when missing  2. migrations + demo data (once)
// 3. wrangler dev on http://localhost:8787 with --test-scheduled (crons at /cdn-cgi/handler/scheduled)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('node', ['scripts/docs-assets.mjs']);
run('tsx', ['scripts/seed.ts']);

const dev = spawn(
  'wrangler',
  ['dev', '--port', '8787', '--test-scheduled', ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
