import type { Generated } from 'kysely';

/** Database tables. Column types are kept to what SQLite and PostgreSQL both store the same way. */
export interface Schema {
  meta: { key: string; value: string };
  question_log: {
    id: Generated<number>;
    chat_hash: string;
    channel: string;
    question: string;
    entry_id: string | null;
    matched: number;
    emergency: number;
    score: number;
    feedback: number | null;
    created_at: string;
  };
  processed_updates: { update_id: number; created_at: string };
  sessions: { key: string; value: string; updated_at: string };
}
