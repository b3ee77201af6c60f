import { defineConfig } from 'drizzle-kit';

// Generates SQL into migrations/; wrangler (D1) and scripts/migrate-libsql.ts apply it.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
