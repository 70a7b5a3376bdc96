import { todayIn } from '../broadcast/dates.ts';

/** Tokens spent per calendar day, shared by every process that uses the same store. */
export interface LlmUsageStore {
  used(day: string): Promise<number>;
  /** Adds tokens to the day and returns the day's new total. */
  add(day: string, tokens: number): Promise<number>;
  /** True exactly once per day across all processes: whoever gets true tells staff. */
  claimNotice(day: string): Promise<boolean>;
}

/** For one-shot commands (`npm run ask`) and tests: the budget lives as long as the process. */
export function createMemoryUsageStore(): LlmUsageStore {
  const tokens = new Map<string, number>();
  const noticed = new Set<string>();
  return {
    used: async (day) => tokens.get(day) ?? 0,
    async add(day, n) {
      const total = (tokens.get(day) ?? 0) + n;
      tokens.set(day, total);
      return total;
    },
    async claimNotice(day) {
      if (noticed.has(day)) return false;
      noticed.add(day);
      return true;
    },
  };
}

export interface TokenBudgetOptions {
  readonly store: LlmUsageStore;
  readonly dailyTokens: number;
  /** The day rolls over at midnight in this zone (the bureau's, Asia/Shanghai). */
  readonly timezone: string;
  readonly now: () => number;
  /** Called once per day when the budget runs out; the composition root tells staff. */
  readonly onExhausted: (day: string, used: number) => Promise<void> | void;
}

export interface TokenBudget {
  /** Checks the shared store; false (and staff told once) when today's budget is spent. */
  available(): Promise<boolean>;
  spend(tokens: number): Promise<void>;
  /** Synchronous view for capability checks: false once this process has seen today's budget spent. */
  maybeAvailable(): boolean;
}

/**
 * A daily token budget so a runaway loop or a flood of questions cannot run up an unbounded bill.
 * Once spent the service uses its offline path for the rest of the day, which is always safe.
 */
export function createTokenBudget(options: TokenBudgetOptions): TokenBudget {
  let exhaustedDay: string | undefined;
  const today = (): string => todayIn(options.timezone, new Date(options.now()));
  const exhaust = async (day: string, used: number): Promise<void> => {
    exhaustedDay = day;
    if (await options.store.claimNotice(day)) await options.onExhausted(day, used);
  };
  return {
    maybeAvailable: () => exhaustedDay !== today(),
    async available() {
      const day = today();
      const used = await options.store.used(day);
      if (used < options.dailyTokens) return true;
      await exhaust(day, used);
      return false;
    },
    async spend(tokens) {
      if (tokens <= 0) return;
      const day = today();
      const total = await options.store.add(day, tokens);
      if (total >= options.dailyTokens) await exhaust(day, total);
    },
  };
}
