import { z } from '@hono/zod-openapi';
import { EMAIL_MAX_LENGTH, EmailField, UsernameField, UserSchema } from '../../lib/accounts';
import { isCommonPassword } from '../../lib/common-passwords';
import { CurrentPasswordField } from '../../lib/current-password';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../lib/passwords';

/** A new password: 8..128 characters and not one of the 1,000 most common ones. */
export const NewPasswordField = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { error: `Must be at least ${PASSWORD_MIN_LENGTH} characters.` })
  .max(PASSWORD_MAX_LENGTH, { error: `Must be at most ${PASSWORD_MAX_LENGTH} characters.` })
  .refine((p) => !isCommonPassword(p), {
    error: 'This password is too common. Choose another.',
  })
  .openapi({
    example: 'correct horse battery staple',
    description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters; the 1,000 most common passwords are refused (case-insensitively).`,
  });

const EmailedTokenField = z
  .string()
  .min(1)
  .max(128)
  .openapi({ example: 'kq3v1hV6nN0m7Zl2c4dB8yXy0e7wQ9rT5uI1oP3aS6f' });

export const RegisterBody = z
  .object({
    email: EmailField,
    username: UsernameField,
    password: NewPasswordField,
  })
  .strict()
  .openapi('RegisterRequest');

export const RegisterResponse = z.object({ user: UserSchema }).openapi('RegisterResponse');

export const LoginBody = z
  .object({
    email: z
      .string()
      .min(1)
      .max(EMAIL_MAX_LENGTH)
      .optional()
      .openapi({ example: 'ada@example.com', description: 'Send this or `username`.' }),
    username: z
      .string()
      .min(1)
      .max(EMAIL_MAX_LENGTH)
      .optional()
      .openapi({ example: 'ada_l', description: 'Send this or `email`.' }),
    password: CurrentPasswordField,
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.email === undefined) === (body.username === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'Send exactly one of email or username.',
        path: [body.email === undefined ? 'email' : 'username'],
      });
    }
  })
  .openapi('LoginRequest', {
    description: 'Exactly one of `email` or `username` (both case-insensitive), and the password.',
  });

export const TokenResponse = z
  .object({
    access_token: z.string().openapi({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig' }),
    token_type: z.literal('Bearer').openapi({ example: 'Bearer' }),
    expires_in: z
      .number()
      .int()
      .openapi({ example: 900, description: 'Seconds until the access token expires.' }),
  })
  .openapi('TokenResponse', {
    description: 'A short-lived access token. The refresh token is only ever in the cookie.',
  });

export const PasswordChangeBody = z
  .object({
    // An example other than new_password's, so the example request /docs sends is valid.
    current_password: CurrentPasswordField.openapi({ example: 'ublog-demo-password' }),
    new_password: NewPasswordField,
  })
  .strict()
  .refine((b) => b.current_password !== b.new_password, {
    error: 'The new password must differ from the current one.',
    path: ['new_password'],
  })
  .openapi('PasswordChangeRequest');

export const PasswordResetBody = z
  .object({
    email: z.string().min(1).max(EMAIL_MAX_LENGTH).openapi({ example: 'ada@example.com' }),
  })
  .strict()
  .openapi('PasswordResetRequest');

export const PasswordResetConfirmBody = z
  .object({ token: EmailedTokenField, new_password: NewPasswordField })
  .strict()
  .openapi('PasswordResetConfirmRequest');

export const VerifyEmailBody = z
  .object({ token: EmailedTokenField })
  .strict()
  .openapi('VerifyEmailRequest');
