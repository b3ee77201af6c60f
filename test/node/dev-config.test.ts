import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { localSettings, settingProblems } from '../../scripts/lib/config-check';
import { DEFAULT_PORT, devOptions } from '../../scripts/lib/dev-options.mjs';

const ROOT = join(import.meta.dirname, '../..');
const GENERATED_DEV_VARS = {
  APP_ENV: 'development',
  JWT_SECRET: 'a-random-secret-of-at-least-32-characters-000',
  IP_HASH_SALT: 'a-random-salt-of-some-length',
};

describe('npm run dev: the port', () => {
  const portFlags = (args: string[]) =>
    args.filter((a) => a === '--port' || a.startsWith('--port='));

  it.each([
    [['--port', '8792'], {}],
    [['--port=8792'], {}],
    [[], { PORT: '8792' }],
  ])('serves on the port asked for (%j, env %j), passing --port once', (args, env) => {
    const options = devOptions(args, env, GENERATED_DEV_VARS);
    expect(options.port).toBe(8792);
    expect(portFlags(options.wranglerArgs)).toHaveLength(1);
    expect(options.wranglerArgs.join(' ')).toMatch(/--port[= ]8792/);
  });

  it('defaults to 8787', () => {
    const options = devOptions([], {}, GENERATED_DEV_VARS);
    expect(options.port).toBe(DEFAULT_PORT);
    expect(options.wranglerArgs).toEqual(expect.arrayContaining(['--port', String(DEFAULT_PORT)]));
  });

  it('refuses a port that is not a port', () => {
    expect(() => devOptions(['--port', 'eighty'], {}, GENERATED_DEV_VARS)).toThrow('--port');
  });

  it('allows the origins of the port served, unless .dev.vars sets its own list', () => {
    const options = devOptions(['--port', '8792'], {}, GENERATED_DEV_VARS);
    const origins = options.overrides.CORS_ORIGINS?.split(',');
    expect(origins).toEqual(
      expect.arrayContaining(['http://localhost:8792', 'http://127.0.0.1:8792']),
    );
    expect(origins).not.toContain('http://localhost:8787');
    expect(options.wranglerArgs).toContain(`--var=CORS_ORIGINS:${origins?.join(',')}`);

    const own = devOptions([], {}, { ...GENERATED_DEV_VARS, CORS_ORIGINS: 'https://x.example' });
    expect(own.overrides.CORS_ORIGINS).toBeUndefined();
    const flag = devOptions(['--var', 'CORS_ORIGINS:https://x.example'], {}, GENERATED_DEV_VARS);
    expect(flag.overrides.CORS_ORIGINS).toBeUndefined();
    expect(flag.varsOverDevVars.CORS_ORIGINS).toBe('https://x.example');
  });

  it('seeds where wrangler dev persists', () => {
    expect(devOptions(['--persist-to', '.wrangler/scale-4'], {}, {}).persistTo).toBe(
      '.wrangler/scale-4',
    );
  });
});

describe('configuration checked before wrangler starts', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const project = (vars: string, devVars?: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ublog-config-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'wrangler.toml'), `name = "config-check"\n\n[vars]\n${vars}\n`);
    if (devVars !== undefined) writeFileSync(join(dir, '.dev.vars'), devVars);
    return join(dir, 'wrangler.toml');
  };
  const checkConfigScript = (mode: string, configPath: string) =>
    promisify(execFile)(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/check-config.ts', mode, '--config', configPath],
      { cwd: ROOT },
    ).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );

  it('the dev defaults over this repository’s wrangler.toml are a valid configuration', () => {
    const { overrides } = devOptions([], {}, GENERATED_DEV_VARS);
    const settings = {
      ...localSettings('deploy', join(ROOT, 'wrangler.toml')),
      ...GENERATED_DEV_VARS,
      ...overrides,
    };
    expect(settingProblems('dev', settings)).toEqual([]);
  });

  it('deploying this repository’s wrangler.toml as it is stops at the missing mail transport', () => {
    const problems = settingProblems(
      'deploy',
      localSettings('deploy', join(ROOT, 'wrangler.toml')),
    );
    expect(problems.map((p) => p.name)).toEqual(['EMAIL_TRANSPORT']);
  });

  it('dev: stops naming each bad setting of .dev.vars, never its value', async () => {
    const config = project(
      'APP_ENV = "development"\nJWT_ISSUER = "https://api.example"\nJWT_AUDIENCE = "api"',
      'JWT_SECRET=short-secret-value\nLIBSQL_URL=file:secret-path.db\n',
    );
    const { code, stderr } = await checkConfigScript('dev', config);
    expect(code).toBe(1);
    expect(stderr).toContain('JWT_SECRET');
    expect(stderr).toContain('LIBSQL_URL');
    expect(stderr).not.toContain('short-secret-value');
    expect(stderr).not.toContain('secret-path');
  });

  it('deploy: stops on a production setting that cannot work, and ignores unset secrets', async () => {
    const bad = project(
      'APP_ENV = "production"\nCORS_ORIGINS = "http://localhost:5173"\nJWT_ISSUER = "https://api.example"\nJWT_AUDIENCE = "api"',
    );
    const refused = await checkConfigScript('deploy', bad);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('CORS_ORIGINS');
    expect(refused.stderr).not.toContain('JWT_SECRET');

    const good = project(
      'APP_ENV = "production"\nCORS_ORIGINS = "https://app.example"\nJWT_ISSUER = "https://api.example"\nJWT_AUDIENCE = "api"\nEMAIL_TRANSPORT = "resend"\nEMAIL_FROM = "noreply@app.example"',
    );
    const accepted = await checkConfigScript('deploy', good);
    expect(accepted.code).toBe(0);
  });
});
