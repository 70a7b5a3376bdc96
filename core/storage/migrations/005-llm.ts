import { sql, type Kysely } from 'kysely';

/**
 * Optional language model (issue 7).
 *
 * `llm_usage`: tokens spent per Asia/Shanghai day, shared by every process, so the daily budget holds
 * across restarts and workers; `noticed` is claimed by exactly one process to tell staff once.
 * `script_rewrites`: the first outcome of rewriting a day's broadcast script, keyed by the date and a
 * hash of the deterministic source text. `text` is null when the deterministic script stands. The
 * primary key makes the first outcome win, so the day's text never changes after it is first used.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('llm_usage')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'integer', (c) => c.notNull())
    .addColumn('noticed', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('script_rewrites')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull().defaultTo(sql`CURRENT_TIMESTAMP`))
    .addPrimaryKeyConstraint('script_rewrites_pk', ['date', 'source_hash'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['script_rewrites', 'llm_usage']) await db.schema.dropTable(t).execute();
}
