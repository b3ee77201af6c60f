import { z } from '@hono/zod-openapi';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']).openapi({ example: 'ok' }),
    database: z.enum(['ok', 'error']).openapi({ example: 'ok' }),
  })
  .openapi('Health');

export const MisconfiguredSchema = z
  .object({
    status: z.literal('misconfigured').openapi({ example: 'misconfigured' }),
    invalid_settings: z
      .array(
        z.object({
          name: z.string().openapi({ example: 'JWT_SECRET' }),
          message: z.string().openapi({ example: 'JWT_SECRET must be at least 32 characters' }),
        }),
      )
      .min(1)
      .openapi({ description: 'Each missing or malformed setting and why; never its value.' }),
  })
  .openapi('Misconfigured', {
    description:
      'The deployment cannot serve requests until these settings are fixed (wrangler.toml [vars] or secrets).',
  });
