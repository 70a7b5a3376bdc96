import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Schema } from './schema.ts';
import { createGroupCommit, type GroupCommit } from './group-commit.ts';

export type Db = Kysely<Schema>;

export interface Database {
  readonly db: Db;
  /** A per-installation random salt, so hashed chat ids cannot be reversed by trying every id. */
  readonly salt: string;
  /**
   * The embedded SQLite connection itself, for the few per-update statements that run synchronously
   * outside the builder's connection queue (see compiled.ts). Absent on a server database.
   */
  readonly sqlite?: SQLite.Database;
  /** Commits the hot-path writes of concurrent updates together (compiled.ts). With `sqlite` only. */
  readonly groupCommit?: GroupCommit;
  /**
   * After an erasure: makes deleted rows unreadable in the files themselves. SQLite overwrites freed
   * pages (secure_delete) but the WAL still holds the pages as they were until a checkpoint, so the
   * checkpoint truncates it. A server database relies on its own VACUUM (see README, Erasure).
   */
  scrub(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens (creating on first run) the SQLite file and brings its schema up to date. WAL with
 * synchronous=NORMAL: a committed row is in the WAL before the call returns, so a process crash
 * (kill -9) right after an acknowledgement loses nothing; only a power cut can lose the last commits,
 * and FULL would cost an fsync per write (measured: about 8x fewer updates per second).
 */
export async function openDatabase(file: string): Promise<Database> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // /delete_me must erase physically: freed pages are zeroed, not left readable in the file.
  sqlite.pragma('secure_delete = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrate(db);
  const salt = await ensureMeta(db, 'hash_salt', () => crypto.randomBytes(16).toString('hex'));
  const scrub = async (): Promise<void> => {
    if (file !== ':memory:') sqlite.pragma('wal_checkpoint(TRUNCATE)');
  };
  return { db, salt, sqlite, groupCommit: createGroupCommit(sqlite), scrub, close: () => db.destroy() };
}

/**
 * Kysely prepares every query afresh, and better-sqlite3 compiles the SQL on each prepare: measured as
 * about a sixth of the bot's CPU per update. Statements are kept by their SQL text (bounded, oldest
 * dropped first). Reuse is safe because Kysely runs one query at a time on the connection.
 */
function withStatementCache(sqlite: SQLite.Database, max = 256): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

export async function migrate(db: Db): Promise<void> {
  // Numbers are handed out to features built in parallel, so a database may already have run 003 when
  // 002 ships; unordered migrations let the late one run instead of failing start-up.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message}`);
  }
}

async function ensureMeta(db: Db, key: string, make: () => string): Promise<string> {
  await db.insertInto('meta').values({ key, value: make() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

export function hashChatId(salt: string, chatId: number | string): string {
  return crypto.createHmac('sha256', salt).update(String(chatId)).digest('hex').slice(0, 32);
}

export const nowIso = (): string => new Date().toISOString();
