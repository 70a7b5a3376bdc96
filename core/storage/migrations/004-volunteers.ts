import { sql, type Kysely } from 'kysely';

/**
 * Volunteers, assignments and who is on which assignment.
 *
 * The invariant "never more accepted volunteers than places" lives here, not in memory: an accepted
 * member holds a numbered place (slot 1..needed) and (assignment_id, slot) is unique, so two volunteers
 * accepting the last place at the same moment cannot both get it, whatever process they reach.
 * Deleting a volunteer sets member.volunteer_id to NULL: the assignment record stays, anonymised.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('volunteers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    // AES-256-GCM ciphertext (see core/storage/field-cipher.ts); the clear number is never stored.
    .addColumn('phone_enc', 'text', (c) => c.notNull())
    .addColumn('town_id', 'text', (c) => c.notNull())
    .addColumn('community', 'text', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('availability', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('paused_until', 'text')
    .addColumn('consent_version', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('volunteers_town').on('volunteers').columns(['town_id', 'status']).execute();

  await db.schema
    .createTable('assignments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('town_id', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('skills', 'text', (c) => c.notNull())
    .addColumn('needed', 'integer', (c) => c.notNull().check(sql`needed >= 1`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_by', 'bigint', (c) => c.notNull())
    // One per confirmed /assign conversation: a double-tapped 确认 creates one assignment.
    .addColumn('submission_key', 'text', (c) => c.notNull().unique())
    .addColumn('full_notified_at', 'text')
    .addColumn('exhausted_notified_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assignments_status').on('assignments').columns(['status', 'starts_at']).execute();

  await db.schema
    .createTable('assignment_members')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('assignment_id', 'integer', (c) => c.notNull().references('assignments.id').onDelete('cascade'))
    .addColumn('volunteer_id', 'integer', (c) => c.references('volunteers.id').onDelete('set null'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('slot', 'integer', (c) => c.check(sql`slot IS NULL OR slot >= 1`))
    .addColumn('invite_sent_at', 'text')
    .addColumn('reminded_at', 'text')
    // Last state change the volunteer was told about (cancelled, wrap-up): makes those notices idempotent.
    .addColumn('notified_state', 'text')
    .addColumn('responded_at', 'text')
    .addColumn('checked_in_at', 'text')
    .addColumn('checked_out_at', 'text')
    .addColumn('minutes', 'integer')
    .addColumn('report_text', 'text')
    .addColumn('report_photo', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('members_once').on('assignment_members').columns(['assignment_id', 'volunteer_id']).unique().execute();
  // Partial unique index: only held places count; SQLite and PostgreSQL both support the WHERE clause.
  await db.schema
    .createIndex('members_slot')
    .on('assignment_members')
    .columns(['assignment_id', 'slot'])
    .unique()
    .where(sql.ref('slot'), 'is not', null)
    .execute();
  await db.schema.createIndex('members_volunteer').on('assignment_members').columns(['volunteer_id', 'state']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['assignment_members', 'assignments', 'volunteers']) await db.schema.dropTable(t).execute();
}
