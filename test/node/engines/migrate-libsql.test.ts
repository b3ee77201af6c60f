import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appliedMigrations,
  applyMigrations,
  readMigrations,
  splitStatements,
} from '../../../scripts/lib/libsql-migrate';

const ROOT = join(import.meta.dirname, '../../..');
const files: string[] = [];
const freshFile = () => {
  const file = join(tmpdir(), `ublog-migrate-${crypto.randomUUID()}.db`);
  files.push(file);
  return file;
};

afterAll(async () => {
  await Promise.all(
    files.flatMap((f) =>
      ['', '-wal', '-shm', '-journal'].map((s) => rm(`${f}${s}`, { force: true })),
    ),
  );
});

const run = promisify(execFile);
const migrateScript = (url: string) =>
  run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/migrate-libsql.ts'], {
    cwd: ROOT,
    env: { ...process.env, LIBSQL_URL: url },
  });

describe('npm run db:migrate:libsql', () => {
  it('applies every migration once; a second run changes nothing', async () => {
    const file = freshFile();
    const migrations = await readMigrations(join(ROOT, 'migrations'));
    expect(migrations.length).toBeGreaterThan(0);

    const first = await migrateScript(`file:${file}`);
    for (const m of migrations) expect(first.stdout).toContain(`applied ${m.name}`);

    const client = createClient({ url: `file:${file}` });
    const snapshot = async () =>
      (
        await client.execute(
          "select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name",
        )
      ).rows.map((r) => `${r.type} ${r.name} ${r.sql}`);
    const schemaAfterFirst = await snapshot();
    const recordedAfterFirst = (
      await client.execute('select id, name, applied_at from d1_migrations')
    ).rows;
    client.close();

    const second = await migrateScript(`file:${file}`);
    expect(second.stdout).toContain('up to date');
    expect(second.stdout).not.toContain('applied 0');

    const again = createClient({ url: `file:${file}` });
    try {
      expect(await appliedMigrations(again)).toEqual(migrations.map((m) => m.name));
      expect((await again.execute('select id, name, applied_at from d1_migrations')).rows).toEqual(
        recordedAfterFirst,
      );
      const schemaNow = (
        await again.execute(
          "select type, name, sql from sqlite_master where name not like 'sqlite_%' order by name",
        )
      ).rows.map((r) => `${r.type} ${r.name} ${r.sql}`);
      expect(schemaNow).toEqual(schemaAfterFirst);
      expect(schemaNow.some((s) => s.startsWith('table users '))).toBe(true);
    } finally {
      again.close();
    }
  });

  it('refuses to run without LIBSQL_URL', async () => {
    await expect(
      run(join(ROOT, 'node_modules/.bin/tsx'), ['scripts/migrate-libsql.ts'], {
        cwd: ROOT,
        env: { ...process.env, LIBSQL_URL: '' },
      }),
    ).rejects.toMatchObject({ code: 2 });
  });
});

describe('applyMigrations', () => {
  it('applies only new migrations, and a failing one leaves no trace', async () => {
    const client = createClient({ url: `file:${freshFile()}` });
    try {
      const base = await readMigrations(join(ROOT, 'migrations'));
      expect(await applyMigrations(client, base)).toEqual(base.map((m) => m.name));

      const good = { name: '9000_good.sql', statements: ['CREATE TABLE extra (a integer)'] };
      const bad = {
        name: '9001_bad.sql',
        statements: ['CREATE TABLE half_done (a integer)', 'INSERT INTO no_such_table VALUES (1)'],
      };
      await expect(applyMigrations(client, [...base, good, bad])).rejects.toThrow(/no_such_table/);
      expect(await appliedMigrations(client)).toEqual([...base.map((m) => m.name), good.name]);
      const tables = (
        await client.execute("select name from sqlite_master where type = 'table'")
      ).rows.map((r) => r.name);
      expect(tables).toContain('extra');
      expect(tables).not.toContain('half_done');

      expect(await applyMigrations(client, [...base, good])).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('splits on drizzle-kit statement breakpoints and drops empty pieces', () => {
    expect(
      splitStatements(
        'CREATE TABLE a (x int);--> statement-breakpoint\nCREATE INDEX i ON a (x);\n--> statement-breakpoint\n-- a comment only\n',
      ),
    ).toEqual(['CREATE TABLE a (x int);', 'CREATE INDEX i ON a (x);']);
  });
});
