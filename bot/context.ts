import type { Context } from 'telegraf';
import type { Config } from '../core/config.ts';
import type { Content } from '../core/content/load-content.ts';
import type { Logger } from '../core/logger.ts';
import type { QuestionLog } from '../core/storage/question-log.ts';
import type { UpdateDedupe } from '../core/storage/update-dedupe.ts';
import type { SessionStore } from '../core/storage/session-store.ts';
import type { FloodControl } from '../core/rate/flood-control.ts';
import type { Metrics } from '../core/metrics.ts';
import type { Tips } from '../core/tips/tips.ts';
import type { PersonalDataEraser } from '../core/privacy/personal-data.ts';
import type { VolunteerRepos } from '../core/volunteers/repos.ts';
import type { ScriptSource } from '../core/broadcast/script-source.ts';
import type { BroadcastRepos } from '../core/broadcast/broadcast-repos.ts';
import type { Jobs } from '../jobs/types.ts';
import type { Llm } from '../core/llm/llm.ts';
import type { AssistedAnswerer } from '../core/llm/assisted-answerer.ts';

/** Per-chat conversation state; flows added by later features keep their step here. */
export interface SessionData {
  flow?: { name: string; step: string; data: Record<string, unknown> };
  /** The /delete_me message already answered: a second tap on it must not overwrite the result. */
  deleteMeDone?: number;
}

/** Everything the bot needs, built once in the entry point and passed in (no singletons). */
export interface BotDeps {
  readonly config: Config;
  readonly content: Content;
  readonly logger: Logger;
  readonly questionLog: QuestionLog;
  readonly dedupe: UpdateDedupe;
  readonly sessions: SessionStore<SessionData>;
  readonly flood: FloodControl;
  readonly metrics: Metrics;
  /** Where every reader gets a day's broadcast script (urgent and delivered scripts take precedence). */
  readonly scripts: ScriptSource;
  /** The optional language model (offline implementation when not configured); ask it `can(...)`. */
  readonly llm?: Llm;
  /** Set when a chat model is configured: the answerer that asks the model when retrieval is unsure. */
  readonly assistedAnswerer?: AssistedAnswerer;
  /** Volunteers, assignments and memberships (phones encrypted with DATA_KEY; none stored without it). */
  readonly volunteers: VolunteerRepos;
  /** Tips about the safety negative list: store, staff triage, outbox, privacy. */
  readonly tips: Tips;
  /** /delete_me: one eraser per module that keeps personal data (tips, volunteers, …). */
  readonly erasers: readonly PersonalDataEraser[];
  /** Run after the erasers: what they deleted is then unreadable in the database files too. */
  readonly scrubStorage: () => Promise<void>;
  /** Enqueue work for the worker (bull on Redis, or the in-process queue); handlers never do slow work inline. */
  readonly jobs: Jobs;
  /** Broadcast subscriptions, stored broadcasts and their delivery records. */
  readonly broadcast: BroadcastRepos;
  /** Clock in ms; tests pass their own. */
  readonly now: () => number;
}

export interface BotContext extends Context {
  deps: BotDeps;
  log: Logger;
  session: SessionData;
  /** Shortcut to content strings. */
  t(key: string, vars?: Record<string, string | number>): string;
}
