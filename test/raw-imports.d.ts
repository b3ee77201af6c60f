/** Vite's `?raw` imports: text files read by tests (the GraphQL schema, wrangler.toml). */
declare module '*?raw' {
  const text: string;
  export default text;
}
