// Starts GraphiQL on /graphql. A separate file so the page's CSP can forbid inline scripts.
const DEFAULT_QUERY = `# The newest posts with their authors. Sign in over REST (POST /api/v1/auth/login), then add
# {"Authorization": "Bearer <access token>"} under Headers to act as that user.
{
  posts(first: 5) {
    nodes {
      id
      body
      author { username }
    }
  }
}
`;

const fetcher = window.GraphiQL.createFetcher({ url: '/graphql' });
window.ReactDOM.createRoot(document.getElementById('graphiql')).render(
  window.React.createElement(window.GraphiQL, { fetcher, defaultQuery: DEFAULT_QUERY }),
);
