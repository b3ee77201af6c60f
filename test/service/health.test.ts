import { describe, expect, it } from 'vitest';
import { get } from '../support/http';

describe('GET /health', () => {
  it('answers 200 with the database checked', async () => {
    const { status, body, headers } = await get('/health');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', database: 'ok' });
    expect(headers.get('Cache-Control')).toBe('no-store');
  });
});
