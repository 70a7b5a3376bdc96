import type { Context } from 'telegraf';
import type { Config } from '../core/config.ts';
import type { Content } from '../core/content/load-content.ts';
import type { Logger } from '../core/logger.ts';
import type { QuestionLog } from '../core/storage/question-log.ts';
import type { UpdateDedupe } from '../core/storage/update-dedupe.ts';
import type { SessionStore } from '../core/storage/session-store.ts';
import type { FloodControl } from '../core/rate/flood-control.ts';
import type { Metrics } from '../core/metrics.ts';

/** Per-chat conversation state; flows added by later features keep their step here. */
export interface SessionData {
  flow?: { name: string; step: string; data: Record<string, unknown> };
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
