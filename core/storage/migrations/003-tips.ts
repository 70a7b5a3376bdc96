import { sql, type Kysely } from 'kysely';

/**
 * Citizen tips about the safety negative list.
 *
 * The reporter is kept apart from the tip: `tips` has no column that points at a person, and
 * `tip_reporters` (chat id for updates, encrypted contact details for real-name tips) can be deleted
 * without touching the tip. `tip_events` is both the history and the outbox: a row whose
 * reporter_notice / staff_notice is 'pending' still has a message to send, so a crash between the
 * commit and the send loses nothing. Tracking numbers come from `tip_counters` (one row per day,
 * incremented in the same transaction as the insert) and are unique by index as well.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tips')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tracking_no', 'text', (c) => c.notNull().unique())
    // The confirm button's draft id: a double tap or a replay finds the tip instead of making another.
    .addColumn('submission_key', 'text', (c) => c.notNull().unique())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('area_id', 'text', (c) => c.notNull())
    .addColumn('practice_id', 'text')
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('town_id', 'text')
    .addColumn('address', 'text')
    .addColumn('latitude', 'real')
    .addColumn('longitude', 'real')
    .addColumn('photos', 'text', (c) => c.notNull())
    .addColumn('real_name', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    // Bumped by every change; staff buttons carry it, so a stale button cannot act on a newer state.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('result_note', 'text')
    .addColumn('duplicate_of', 'integer')
    .addColumn('staff_marked_duplicate', 'integer', (c) => c.notNull())
    .addColumn('reopen_count', 'integer', (c) => c.notNull())
    .addColumn('awaiting_since', 'text')
    .addColumn('last_staff_action_at', 'text')
    .addColumn('overdue_posted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  await db.schema.createIndex('tips_similar').on('tips').columns(['practice_id', 'town_id', 'created_at']).execute();
  await db.schema.createIndex('tips_status').on('tips').columns(['status', 'awaiting_since']).execute();

  await db.schema
    .createTable('tip_counters')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tip_reporters')
    .addColumn('tip_id', 'integer', (c) => c.primaryKey().references('tips.id').onDelete('cascade'))
    .addColumn('chat_id', 'bigint', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    // AES-256-GCM ciphertext of {name, phone}; only for real-name tips, never in clear.
    .addColumn('contact_enc', 'text')
    .addColumn('undeliverable_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tip_reporters_chat').on('tip_reporters').columns(['chat_id', 'day']).execute();

  await db.schema
    .createTable('tip_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tip_id', 'integer', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'bigint')
    .addColumn('note', 'text')
    .addColumn('department_id', 'text')
    .addColumn('status_after', 'text', (c) => c.notNull())
    .addColumn('reporter_notice', 'text')
    .addColumn('staff_notice', 'text')
    .addColumn('notice_claimed_at', 'text')
    .addColumn('staff_message_id', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tip_events_tip').on('tip_events').column('tip_id').execute();
  await db.schema.createIndex('tip_events_outbox').on('tip_events').columns(['reporter_notice', 'staff_notice']).execute();

  // A staff member asked for a result note or a reason; their reply to this prompt message completes it.
  await db.schema
    .createTable('tip_prompts')
    .addColumn('chat_id', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'bigint', (c) => c.notNull())
    .addColumn('tip_id', 'integer', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('card_message_id', 'bigint')
    .addColumn('staff_id', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tip_prompts_pk', ['chat_id', 'message_id'])
    .execute();

  // Audit: every time a staff member opened a real-name reporter's details (or tried to).
  await db.schema
    .createTable('tip_identity_views')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tip_id', 'integer', (c) => c.notNull().references('tips.id').onDelete('cascade'))
    .addColumn('staff_id', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('viewed_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['tip_identity_views', 'tip_prompts', 'tip_events', 'tip_reporters', 'tip_counters', 'tips']) {
    await db.schema.dropTable(t).execute();
  }
}
