/** Vite's `?raw` imports (text files read by tests, e.g. the GraphQL schema). */
declare module '*?raw' {
  const text: string;
  export default text;
}
