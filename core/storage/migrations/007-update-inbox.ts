import type { Kysely } from 'kysely';

/**
 * Updates taken from Telegram but not yet handled (issue 13). Long polling confirms an update to
 * Telegram as soon as it is stored here, so one slow chat never holds back the offset for everyone;
 * a process that crashes replays what is left at its next start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('update_inbox')
    .addColumn('update_id', 'integer', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('update_inbox').execute();
}
