import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { unstable_readConfig } from 'wrangler';
import { checkConfig, type SettingProblem } from '../../src/env';

/**
 * `dev`: the settings `wrangler dev` gives the Worker: wrangler.toml [vars], then .dev.vars, then
 * the `--var` overrides of scripts/dev.mjs. `deploy`: [vars] alone; a setting not set there may
 * be a secret already stored with `wrangler secret put`, so only the settings given are judged.
 */
export type CheckMode = 'dev' | 'deploy';

export function readDevVars(configPath: string): Record<string, string> {
  const file = join(dirname(configPath), '.dev.vars');
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

export function localSettings(
  mode: CheckMode,
  configPath: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const vars = Object.fromEntries(
    Object.entries(unstable_readConfig({ config: configPath }).vars).map(([k, v]) => [
      k,
      typeof v === 'string' ? v : JSON.stringify(v),
    ]),
  );
  return mode === 'dev' ? { ...vars, ...readDevVars(configPath), ...overrides } : vars;
}

/** What is wrong with the settings, by name and never by value; empty when they are valid. */
export function settingProblems(
  mode: CheckMode,
  settings: Record<string, string>,
): SettingProblem[] {
  const checked = checkConfig(settings);
  if (checked.ok) return [];
  return mode === 'deploy'
    ? checked.problems.filter((problem) => problem.name in settings)
    : checked.problems;
}
