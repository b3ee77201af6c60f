/** npm run promote-admin -- <email>: makes that user an admin in the local database. */
import { commonArgs, withLocalBindings } from './lib/local';

const { values, positionals } = commonArgs();
const email = positionals[0];
if (!email) {
  console.error('Usage: npm run promote-admin -- <email> [--persist-to DIR]');
  process.exit(2);
}

await withLocalBindings(values['persist-to'] as string, async (env) => {
  const result = await env.DB.prepare(
    'update users set is_admin = 1, updated_at = ? where lower(email) = lower(?)',
  )
    .bind(Date.now(), email)
    .run();
  if (result.meta.changes === 0) {
    console.error(`No user with email ${email} in the local database.`);
    process.exitCode = 1;
    return;
  }
  console.log(`${email} is now an admin.`);
});
