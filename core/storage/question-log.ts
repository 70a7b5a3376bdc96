import { redactPersonalData } from '../llm/redact.ts';
import type { Answer } from '../knowledge/answer.ts';
import { hashChatId, nowIso, type Database } from './database.ts';
import { compiledStatement } from './compiled.ts';

export interface LoggedQuestion {
  readonly id: number;
  readonly question: string;
  readonly matched: boolean;
  readonly feedback: number | null;
  readonly createdAt: string;
}

export interface QuestionLog {
  /** Records a question and the answer given; the chat id is stored only as a salted hash. */
  record(chatId: number | string, channel: string, answer: Answer): Promise<number>;
  /** 1 for 👍, -1 for 👎; only the chat that asked can rate its own question. Returns false otherwise. */
  setFeedback(id: number, chatId: number | string, value: 1 | -1): Promise<boolean>;
  /** Unanswered and 👎 questions, newest first (the editors' backlog). */
  misses(limit?: number): Promise<LoggedQuestion[]>;
}

export function createQuestionLog(database: Database): QuestionLog {
  const { db, salt } = database;
  // The same chats ask again and again; an HMAC per question was a visible share of the CPU per update.
  const hashes = new Map<string, string>();
  const chatHash = (chatId: number | string): string => {
    const key = String(chatId);
    let h = hashes.get(key);
    if (h === undefined) {
      if (hashes.size >= 10_000) hashes.clear();
      hashes.set(key, (h = hashChatId(salt, chatId)));
    }
    return h;
  };
  // One insert per question: compiled once. Parameters follow the column order below.
  const insert = compiledStatement(database, () =>
    db
      .insertInto('question_log')
      .values({ chat_hash: '', channel: '', question: '', entry_id: null, matched: 0, emergency: 0, score: 0, created_at: '' })
      .returning('id'),
  );
  return {
    async record(chatId, channel, a) {
      const { rows } = await insert([
        chatHash(chatId), channel, redactPersonalData(a.question).slice(0, 1000), a.entry?.id ?? null,
        a.matched ? 1 : 0, a.emergency ? 1 : 0, a.score, nowIso(),
      ]);
      return rows[0]!.id;
    },
    async setFeedback(id, chatId, value) {
      const r = await db
        .updateTable('question_log')
        .set({ feedback: value })
        .where('id', '=', id)
        .where('chat_hash', '=', chatHash(chatId))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async misses(limit = 5000) {
      const rows = await db
        .selectFrom('question_log')
        .select(['id', 'question', 'matched', 'feedback', 'created_at'])
        .where((eb) => eb.or([eb('matched', '=', 0), eb('feedback', '=', -1)]))
        .where('emergency', '=', 0)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, question: r.question, matched: r.matched === 1, feedback: r.feedback, createdAt: r.created_at }));
    },
  };
}
