import { z } from '@hono/zod-openapi';
import { EmailField, UsernameField } from '../../lib/accounts';

export const UpdateMeBody = z
  .object({
    username: UsernameField.optional(),
    email: EmailField.optional().openapi({
      description:
        'Unique, compared case-insensitively. A new address is unverified until the token emailed to it is confirmed.',
    }),
  })
  .strict()
  .refine((b) => b.username !== undefined || b.email !== undefined, {
    error: 'Send username, email or both.',
  })
  .openapi('UpdateMeRequest');
