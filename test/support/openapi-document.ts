import type { App } from '../../src/app';

/** The document exactly as the Worker serves it at /openapi.json, byte for byte. */
export async function openApiDocumentText(app: App, origin = 'http://localhost:8787') {
  const res = await app.request(
    `${origin}/openapi.json`,
    {},
    {
      APP_ENV: 'test',
      JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-0123456789',
      JWT_ISSUER: 'https://api.ublog.example',
      JWT_AUDIENCE: 'ublog-api',
      CORS_ORIGINS: '',
      DB: {},
    },
  );
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return res.text();
}

/** The document exactly as the Worker serves it at /openapi.json. */
export async function openApiDocument(app: App, origin = 'http://localhost:8787') {
  return JSON.parse(await openApiDocumentText(app, origin)) as Record<string, any>;
}
