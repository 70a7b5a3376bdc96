import { sql, type Kysely } from 'kysely';

/**
 * A message the send path gave up on (issue 13): after its retries and deadline, or refused by
 * Telegram. Kept for staff (`/undelivered`, `admin undelivered`) instead of being silently replaced by
 * an apology. No message text: only what is needed to follow up (the chat, the update, the reason).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('undelivered_sends')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('chat_id', 'integer', (c) => c.notNull())
    .addColumn('update_id', 'integer')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
  await db.schema.createIndex('undelivered_sends_created').on('undelivered_sends').column('created_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('undelivered_sends').execute();
}
