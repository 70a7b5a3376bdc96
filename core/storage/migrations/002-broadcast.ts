import { type Kysely } from 'kysely';

/**
 * Daily broadcast fan-out and the embedded job queue.
 *
 * `broadcast_scripts` holds what is (or was) sent: one row per day ('daily:YYYY-MM-DD') written at
 * the first delivery, so a day's script never changes once it went out, and one row per urgent
 * alert. `broadcast_deliveries` has one row per (script, chat), unique, written before the send: a
 * worker that dies mid-run finds on restart who already got the script, so nobody gets it twice.
 * `broadcast_urgent` is a staff override for a date, read when the day's row is first written.
 * `jobs` is the in-process queue (no Redis): pending and delayed jobs survive a restart, and the
 * primary key on the deterministic job id is the dedupe.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('broadcast_subscribers')
    .addColumn('chat_id', 'bigint', (c) => c.primaryKey())
    .addColumn('chat_type', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('town_id', 'text', (c) => c.notNull())
    .addColumn('village', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('inactive_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('broadcast_subscribers_active').on('broadcast_subscribers').columns(['active', 'role']).execute();

  await db.schema
    .createTable('broadcast_scripts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slot', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('urgent', 'integer', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_by', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();

  await db.schema
    .createTable('broadcast_urgent')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('set_by', 'bigint', (c) => c.notNull())
    .addColumn('set_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('broadcast_deliveries')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('script_id', 'integer', (c) => c.notNull())
    .addColumn('chat_id', 'bigint', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('town_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('broadcast_deliveries_once', ['script_id', 'chat_id'])
    .execute();
  await db.schema.createIndex('broadcast_deliveries_status').on('broadcast_deliveries').columns(['script_id', 'status', 'id']).execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('attempts_made', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('jobs_next').on('jobs').columns(['status', 'priority', 'run_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['jobs', 'broadcast_deliveries', 'broadcast_urgent', 'broadcast_scripts', 'broadcast_subscribers']) {
    await db.schema.dropTable(t).execute();
  }
}
