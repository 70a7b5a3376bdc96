import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is waiting for a message decides when it goes out: a person in an emergency first, then a
 * person who just wrote, then staff and volunteer notices, then broadcasts (see jobs/send-path.ts).
 */
export type SendPriority = 'emergency' | 'reply' | 'notice' | 'bulk';

const RANK: Record<SendPriority, number> = { emergency: 0, reply: 1, notice: 2, bulk: 3 };

export interface SendScope {
  priority: SendPriority;
  /** The update being answered, recorded with a reply that could not be delivered. */
  readonly updateId?: number;
  /**
   * The caller paces and retries on its own (the broadcast fan-out, which must never send one
   * delivery twice): the send path only bounds each request in time.
   */
  readonly selfPaced?: boolean;
}

const storage = new AsyncLocalStorage<SendScope>();

/** Runs `fn` with every Telegram call inside it sent at this scope's priority. */
export function runInSendScope<T>(scope: SendScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentSendScope(): SendScope | undefined {
  return storage.getStore();
}

/** An update found to be an emergency: what it sends from now on goes before everything else. */
export function raiseSendPriority(priority: SendPriority): void {
  const scope = storage.getStore();
  if (scope && RANK[priority] < RANK[scope.priority]) scope.priority = priority;
}

/** Replies to a person (emergency or not) go ahead of notices and broadcasts. */
export const isPersonWaiting = (p: SendPriority): boolean => RANK[p] <= RANK.reply;
