// What `npm run dev -- <wrangler dev flags>` hands to wrangler dev, worked out from the user's
// flags, the PORT environment variable and .dev.vars (plain JS: scripts/dev.mjs runs on Node).

export const DEFAULT_PORT = 8787;
/** The front end a developer typically runs beside the API (Vite's default port). */
export const DEV_FRONTEND_ORIGIN = 'http://localhost:5173';

/** The value of `--name value` or `--name=value` among the arguments, if given. */
function flagValue(args, name) {
  for (const [i, arg] of args.entries()) {
    if (arg === name) return args[i + 1];
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
  }
  return undefined;
}

/**
 * @param {string[]} args the arguments after `npm run dev --`, passed on to wrangler dev as given
 * @param {Record<string, string | undefined>} env the process environment (PORT)
 * @param {Record<string, string>} devVars the settings in .dev.vars
 * @returns {import('./dev-options.d.mts').DevOptions}
 */
export function devOptions(args, env, devVars) {
  const portFlag = flagValue(args, '--port');
  const port = Number(portFlag ?? env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`The port must be a whole number from 1 to 65535 (--port or PORT).`);
  }
  // Development defaults, unless .dev.vars or the user's own --var NAME:VALUE says otherwise:
  // the allowlist follows the port served.
  const userVars = Object.fromEntries(
    args.flatMap((arg) => {
      const match = arg.match(/^(?:--var=)?([A-Z][A-Z0-9_]*):(.*)$/s);
      return match ? [[match[1], match[2]]] : [];
    }),
  );
  const given = new Set([...Object.keys(devVars), ...Object.keys(userVars)]);
  const overrides = {};
  if (!given.has('APP_ENV')) overrides.APP_ENV = 'development';
  if (!given.has('CORS_ORIGINS')) {
    overrides.CORS_ORIGINS = [
      DEV_FRONTEND_ORIGIN,
      `http://localhost:${port}`,
      `http://127.0.0.1:${port}`,
    ].join(',');
  }
  const wranglerArgs = [
    'dev',
    ...(portFlag === undefined ? ['--port', String(port)] : []),
    '--test-scheduled',
    ...args,
    // Last, so the array flag cannot swallow a positional argument of the user's.
    ...Object.entries(overrides).map(([name, value]) => `--var=${name}:${value}`),
  ];
  return {
    port,
    persistTo: flagValue(args, '--persist-to'),
    overrides,
    // What wrangler dev gives the Worker on top of wrangler.toml and .dev.vars.
    varsOverDevVars: { ...userVars, ...overrides },
    wranglerArgs,
  };
}
