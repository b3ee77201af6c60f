import { createRoute } from '@hono/zod-openapi';
import { problemResponses } from '../../lib/openapi';
import { HealthSchema, MisconfiguredSchema } from './health.schemas';

export const getHealth = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['Service'],
  summary: 'Check the service, its configuration and its database',
  description:
    'Checks the settings, then runs a trivial query against the database. 200 when everything answers; 503 names the failing part: the database, or each setting that is missing or malformed (by name, never its value). Never cached and never tagged with an ETag, so a probe always gets the live answer.',
  security: [],
  responses: {
    200: {
      description: 'The service and its database are up.',
      content: {
        'application/json': { schema: HealthSchema, example: { status: 'ok', database: 'ok' } },
      },
    },
    503: {
      description: 'A dependency is down, or the deployment is misconfigured.',
      content: {
        'application/json': {
          schema: HealthSchema.or(MisconfiguredSchema),
          examples: {
            databaseDown: {
              summary: 'The database does not answer',
              value: { status: 'degraded', database: 'error' },
            },
            misconfigured: {
              summary: 'A setting is missing or malformed',
              value: {
                status: 'misconfigured',
                invalid_settings: [
                  { name: 'JWT_SECRET', message: 'JWT_SECRET must be at least 32 characters' },
                ],
              },
            },
          },
        },
      },
    },
    ...problemResponses(),
  },
});
