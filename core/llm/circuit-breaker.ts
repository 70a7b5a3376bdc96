export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  readonly failures: number;
  /** How long an open circuit skips calls before one trial call is let through. */
  readonly cooldownMs: number;
  readonly now: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  /** True when a call may go out now; in half-open state only one trial at a time. */
  allow(): boolean;
  /** Like allow() but without claiming the half-open trial: for capability checks. */
  peek(): boolean;
  success(): void;
  failure(): void;
  state(): CircuitState;
}

/**
 * Stops calling a provider that keeps failing, so residents do not wait out a timeout on every
 * question while it is down; after the cooldown one call tests whether it is back.
 */
export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  let consecutive = 0;
  let openedAt: number | undefined;
  let trialInFlight = false;

  const state = (): CircuitState => {
    if (openedAt === undefined) return 'closed';
    return options.now() - openedAt >= options.cooldownMs ? 'half-open' : 'open';
  };
  return {
    state,
    peek: () => state() === 'closed' || (state() === 'half-open' && !trialInFlight),
    allow() {
      const s = state();
      if (s === 'closed') return true;
      if (s === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    success() {
      consecutive = 0;
      openedAt = undefined;
      trialInFlight = false;
    },
    failure() {
      consecutive++;
      if (trialInFlight || consecutive >= options.failures) openedAt = options.now();
      trialInFlight = false;
    },
  };
}
