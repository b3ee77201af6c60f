/**
 * What the Worker's bundle gets for `import … from 'zod'` (wrangler.toml [alias]): zod's own
 * entry, less `z.locales`. Its 40-odd translations were a quarter of the bundle (259 KiB of
 * 1,030), parsed at every cold start and never used: @hono/zod-openapi hands the whole `z`
 * namespace to a function, so no bundler can tree-shake them. The API answers in English with
 * its own field messages (lib/field-messages.ts), and zod registers English itself on its
 * first schema. Tests and scripts import zod unchanged; test/node/zod-bundle.test.ts checks
 * that this entry exports everything zod's does but the locales.
 */
import * as z from './external';

export * from './external';
export { z, z as default };
