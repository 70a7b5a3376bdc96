export type FloodVerdict = 'ok' | 'notice' | 'silent';

export interface FloodControl {
  /** Counts one message from key at time `now` (ms): ok, the one notice when the limit is passed, then silence. */
  hit(key: string | number, now: number): FloodVerdict;
}

/**
 * Per-chat sliding window. Past `limit` messages in `windowMs` the chat gets one polite notice, then
 * silence until its rate falls back under the limit. Pure and in-memory: one process's view, which is
 * what protects that process; state is pruned as windows expire so memory stays bounded.
 */
export function createFloodControl(limit = 20, windowMs = 60_000): FloodControl {
  const chats = new Map<string | number, { times: number[]; noticed: boolean }>();
  let lastSweep = 0;
  return {
    hit(key, now) {
      if (now - lastSweep > windowMs) {
        for (const [k, v] of chats) if ((v.times.at(-1) ?? 0) <= now - windowMs) chats.delete(k);
        lastSweep = now;
      }
      let s = chats.get(key);
      if (!s) chats.set(key, (s = { times: [], noticed: false }));
      while (s.times.length && s.times[0]! <= now - windowMs) s.times.shift();
      s.times.push(now);
      if (s.times.length <= limit) {
        s.noticed = false;
        return 'ok';
      }
      if (s.noticed) return 'silent';
      s.noticed = true;
      return 'notice';
    },
  };
}
