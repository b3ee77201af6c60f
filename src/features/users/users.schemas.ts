import { z } from '@hono/zod-openapi';
import { EmailField, UsernameField } from '../../lib/accounts';
import { CurrentPasswordField } from '../../lib/current-password';

export const UpdateMeBody = z
  .object({
    username: UsernameField.optional(),
    email: EmailField.optional().openapi({
      description:
        'Unique, compared case-insensitively. A different address needs `current_password` and is held as `pending_email` until the token mailed to it is posted to /auth/verify-email; the same address in other letter case just re-cases it.',
    }),
    current_password: CurrentPasswordField.optional().openapi({
      description:
        'Required when `email` names a different address (403 wrong_password when wrong); checked whenever it is sent.',
    }),
  })
  .strict()
  .refine((b) => b.username !== undefined || b.email !== undefined, {
    error: 'Send username, email or both.',
  })
  .openapi('UpdateMeRequest', {
    example: { email: 'ada@example.org', current_password: 'correct horse battery staple' },
  });

export const DeleteMeBody = z
  .object({
    current_password: CurrentPasswordField.openapi({
      description: 'The account password (403 wrong_password when wrong).',
    }),
  })
  .strict()
  .openapi('DeleteMeRequest', {
    example: { current_password: 'correct horse battery staple' },
  });
