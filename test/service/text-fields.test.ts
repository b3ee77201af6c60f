import { describe, expect, it } from 'vitest';
import { createUser } from '../support/direct-users';
import { call, post } from '../support/http';
import { imageForm, JPEG_3X2 } from '../support/images';

/** Required free text made only of invisible characters is empty (issue 10 item 12). */

const INVISIBLE = ['\u200b', '\u0000', '\u200b\u2060\ufeff', ' \u200d\u00ad '];

describe('required text fields refuse invisible-only text', () => {
  it.each(INVISIBLE.map((text) => [JSON.stringify(text), text]))(
    'POST /statuses content=%s is 422',
    async (_name, content) => {
      const user = await createUser();
      const res = await post('/api/v1/statuses', { content }, { token: user.token });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe('/body/content');
    },
  );

  it.each(INVISIBLE.map((text) => [JSON.stringify(text), text]))(
    'POST /posts body=%s is 422, as JSON and as a form',
    async (_name, body) => {
      const user = await createUser();
      const json = await post('/api/v1/posts', { body }, { token: user.token });
      expect(json.status).toBe(422);
      expect(json.body.errors[0].path).toBe('/body/body');
      const form = await call('/api/v1/posts', {
        method: 'POST',
        token: user.token,
        body: imageForm('image', JPEG_3X2, 'a.jpg', 'image/jpeg', { body }),
      });
      expect(form.status).toBe(422);
      expect(form.body.errors[0].path).toBe('/body/body');
    },
  );

  it('visible text with invisible characters around it is kept as given', async () => {
    const user = await createUser();
    const res = await post(
      '/api/v1/statuses',
      { content: '\u200bhi 👩\u200d💻' },
      { token: user.token },
    );
    expect(res.status).toBe(201);
    expect(res.body.content).toBe('\u200bhi 👩\u200d💻');
  });
});
