/**
 * Seeds the BENCH.md data set into the local D1 and R2 that `wrangler dev` uses.
 *   npm run seed                           # scale 1 into .wrangler/state
 *   npm run seed -- --scale 4 --persist-to .wrangler/bench-4
 *   npm run seed -- --thumbnails false     # skip making the demo thumbnails (the bench)
 * Deterministic (fixed PRNG seed) and idempotent: a database that already holds the demo
 * data is left as it is. Migrations are applied first.
 */
import { commonArgs, migrateLocal, withLocalBindings } from './lib/local';
import { gradientPng } from './lib/png';
import { progressBar } from './lib/progress';
import { makeSeedThumbnails } from './lib/seed-thumbnails';
import { DEMO_PASSWORD, seedStatements } from './seed-data';

const STATEMENTS_PER_BATCH = 20;
const { values } = commonArgs();
const scale = Number(values.scale);
if (!Number.isInteger(scale) || scale < 1 || scale > 64) {
  console.error('--scale must be a whole number from 1 to 64');
  process.exit(2);
}
const persistTo = values['persist-to'] as string;

migrateLocal(persistTo);

await withLocalBindings(persistTo, async (env) => {
  const users = await env.DB.prepare('select count(*) as n from users').first<{ n: number }>();
  const alice = await env.DB.prepare("select 1 from users where username = 'alice'").first();
  if (alice) {
    console.log(`Demo data already present (${users?.n ?? 0} users); nothing to do.`);
  } else {
    const statements = seedStatements(scale);
    const bar = progressBar(`Seeding scale ${scale}`, statements.length);
    for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
      await env.DB.batch(
        statements.slice(i, i + STATEMENTS_PER_BATCH).map((s) => env.DB.prepare(s)),
      );
      bar.update(Math.min(i + STATEMENTS_PER_BATCH, statements.length));
    }
    bar.done();
  }

  // The objects behind the seeded image rows, so every image URL answers.
  const { results: images } = await env.DB.prepare(
    "select key, width, height from images where key like 'seed/%' order by key",
  ).all<{ key: string; width: number; height: number }>();
  const bar = progressBar('Uploading demo images', images.length);
  let uploaded = 0;
  for (const [i, image] of images.entries()) {
    if (!(await env.BUCKET.head(image.key))) {
      const hue: [number, number, number] = [(i * 67) % 256, (i * 151) % 256, (i * 29) % 256];
      await env.BUCKET.put(image.key, gradientPng(image.width, image.height, hue), {
        httpMetadata: { contentType: 'image/png' },
      });
      uploaded++;
    }
    bar.update(i + 1);
  }
  bar.done();

  // Real thumbnails for the demo images, made by the Worker's own image.process job.
  let thumbnails: ReturnType<typeof progressBar> | undefined;
  const made =
    values.thumbnails === 'false'
      ? 0
      : await makeSeedThumbnails(env, (done, total) => {
          thumbnails ??= progressBar('Making demo thumbnails', total);
          thumbnails.update(done);
        });
  thumbnails?.done();

  const counts = await env.DB.batch([
    env.DB.prepare('select count(*) as n from users'),
    env.DB.prepare('select count(*) as n from posts'),
    env.DB.prepare('select count(*) as n from likes'),
    env.DB.prepare('select count(*) as n from statuses'),
  ]);
  const n = (i: number) => (counts[i]?.results[0] as { n: number } | undefined)?.n ?? 0;
  console.log(
    `Local data: ${n(0)} users, ${n(1)} posts, ${n(2)} likes, ${n(3)} statuses, ${images.length} images (${uploaded} uploaded, ${made} thumbnails made now).`,
  );
  console.log(`Demo logins (password for every demo user: ${DEMO_PASSWORD}):`);
  console.log('  alice@example.com (admin)   bob@example.com   user0002@example.com ...');
});
