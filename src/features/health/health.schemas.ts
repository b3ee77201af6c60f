import { z } from '@hono/zod-openapi';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']).openapi({ example: 'ok' }),
    database: z.enum(['ok', 'error']).openapi({ example: 'ok' }),
  })
  .openapi('Health');
