import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { unstable_readConfig } from 'wrangler';
import { checkConfig, SECRET_NAMES, type SettingProblem } from '../../src/env';

/**
 * `dev`: the settings `wrangler dev` gives the Worker: wrangler.toml [vars], then .dev.vars, then
 * the `--var` overrides of scripts/dev.mjs. `deploy`: [vars] and the bindings; a secret is not
 * judged when it is not set here (it may be stored already with `wrangler secret put`).
 */
export type CheckMode = 'dev' | 'deploy';

/** What a secret stored with `wrangler secret put` is taken to be: long enough, and a URL. */
const STORED_SECRET = 'https://stored-with-wrangler-secret-put.invalid';

export function readDevVars(configPath: string): Record<string, string> {
  const file = join(dirname(configPath), '.dev.vars');
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

export function localSettings(
  mode: CheckMode,
  configPath: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const config = unstable_readConfig({ config: configPath });
  const vars = Object.fromEntries(
    Object.entries(config.vars).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  // The send_email binding the mail settings may require (only its presence is checked).
  if (config.send_email.some((binding: { name: string }) => binding.name === 'EMAIL')) {
    vars.EMAIL = 'binding';
  }
  return mode === 'dev' ? { ...vars, ...readDevVars(configPath), ...overrides } : vars;
}

/** What is wrong with the settings, by name and never by value; empty when they are valid. */
export function settingProblems(
  mode: CheckMode,
  settings: Record<string, string>,
): SettingProblem[] {
  // For deploy, a secret not set here stands in as valid, so every other rule is still checked.
  const storedSecrets =
    mode === 'deploy'
      ? Object.fromEntries(
          SECRET_NAMES.filter((name) => !(name in settings)).map((name) => [name, STORED_SECRET]),
        )
      : {};
  const checked = checkConfig({ ...storedSecrets, ...settings });
  return checked.ok ? [] : checked.problems;
}
