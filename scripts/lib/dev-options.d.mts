export declare const DEFAULT_PORT: number;
export declare const DEV_FRONTEND_ORIGIN: string;
export interface DevOptions {
  port: number;
  persistTo: string | undefined;
  /** Settings `npm run dev` gives wrangler dev with --var, when .dev.vars does not set them. */
  overrides: Record<string, string>;
  /** Every --var setting wrangler dev will apply over .dev.vars: the user's and the overrides. */
  varsOverDevVars: Record<string, string>;
  wranglerArgs: string[];
}
export declare function devOptions(
  args: string[],
  env: Record<string, string | undefined>,
  devVars: Record<string, string>,
): DevOptions;
