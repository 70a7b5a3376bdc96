import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { migrations } from './migrations/index.ts';
import type { Schema } from './schema.ts';

export type Db = Kysely<Schema>;

export interface Database {
  readonly db: Db;
  /** A per-installation random salt, so hashed chat ids cannot be reversed by trying every id. */
  readonly salt: string;
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
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  const salt = await ensureMeta(db, 'hash_salt', () => crypto.randomBytes(16).toString('hex'));
  return { db, salt, close: () => db.destroy() };
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
