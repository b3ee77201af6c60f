import { createRouter } from '../../lib/router';
import { GRAPHQL_PATH } from './graphql.middleware';
import { graphqlGet, graphqlPost } from './graphql.routes';

/**
 * /graphql. graphql-js and the resolvers load on the first GraphQL request, not at start-up,
 * so the REST API's cold start does not pay for them.
 */
export const graphqlRouter = createRouter();
graphqlRouter.openAPIRegistry.registerPath(graphqlPost);
graphqlRouter.openAPIRegistry.registerPath(graphqlGet);
graphqlRouter.on(['GET', 'POST'], GRAPHQL_PATH, async (c) => {
  const { handleGraphQL } = await import('./graphql.endpoint');
  return handleGraphQL(c);
});
