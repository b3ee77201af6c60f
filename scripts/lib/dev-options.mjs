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
 * @returns {{ port: number, persistTo: string | undefined, overrides: Record<string, string>, wranglerArgs: string[] }}
 */
export function devOptions(args, env, devVars) {
  const portFlag = flagValue(args, '--port');
  const port = Number(portFlag ?? env.PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`The port must be a whole number from 1 to 65535 (--port or PORT).`);
  }
  // Development defaults, unless .dev.vars says otherwise: the allowlist follows the port served.
  const overrides = {};
  if (devVars.APP_ENV === undefined) overrides.APP_ENV = 'development';
  if (devVars.CORS_ORIGINS === undefined) {
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
  return { port, persistTo: flagValue(args, '--persist-to'), overrides, wranglerArgs };
}
