import { createRoute } from '@hono/zod-openapi';
import { jsonContent, problemResponses } from '../../lib/openapi';
import { HealthSchema } from './health.schemas';

export const getHealth = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['Service'],
  summary: 'Check the service and its database',
  description:
    'Runs a trivial query against the database. 200 when everything answers; 503 names the failing part. Never cached and never tagged with an ETag, so a probe always gets the live answer.',
  security: [],
  responses: {
    200: {
      ...jsonContent(HealthSchema, 'The service and its database are up.'),
      content: {
        'application/json': { schema: HealthSchema, example: { status: 'ok', database: 'ok' } },
      },
    },
    503: {
      description: 'A dependency is down.',
      content: {
        'application/json': {
          schema: HealthSchema,
          example: { status: 'degraded', database: 'error' },
        },
      },
    },
    ...problemResponses(),
  },
});
