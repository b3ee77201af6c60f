import { describe, expect, it } from 'vitest';
import { get } from '../support/http';

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document with info, servers, tags and both security schemes', async () => {
    const { status, body } = await get('/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.info.title).toBeTruthy();
    expect(body.servers[0].url).toBe('http://localhost');
    expect(body.tags.map((t: { name: string }) => t.name)).toContain('Service');
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(body.components.securitySchemes.refreshCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
    });
    expect(body.paths['/health'].get.operationId).toBe('getHealth');
  });

  it('gives every operation an operationId, summary, tag and a 500 problem response', async () => {
    const { body } = await get('/openapi.json');
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Record<string, any>>(body.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toBeTruthy();
        expect(ids.has(op.operationId), `${where} duplicate operationId`).toBe(false);
        ids.add(op.operationId);
        expect(op.summary, where).toBeTruthy();
        expect(op.description, where).toBeTruthy();
        expect(op.tags?.length, where).toBeGreaterThan(0);
        expect(op.responses['500'], where).toBeTruthy();
      }
    }
  });
});
