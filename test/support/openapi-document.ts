import type { App } from '../../src/app';

/** The document exactly as the Worker serves it at /openapi.json. */
export async function openApiDocument(app: App, origin = 'http://localhost:8787') {
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
  return (await res.json()) as Record<string, any>;
}

const SAMPLE_PATH_PARAMS: Record<string, string> = {
  id: '01938f0e-7c8a-7bbb-8c1e-3b1f0f9d2a11',
  username: 'nobody_here',
  key: 'u%2Fnone.png',
};

/** A concrete URL for a documented path template, with a sample value for each parameter. */
export const samplePath = (template: string) =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PATH_PARAMS[name] ?? 'x');
