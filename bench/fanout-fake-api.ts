/**
 * The strict fake Bot API as its own process for the fan-out benchmark, enforcing Telegram's limits
 * (a send over them is answered 429 and counted). Prints {apiRoot, token} as JSON; answers
 * {type:'stats'} on IPC with what it received, so the process being measured does no bookkeeping.
 */
import { startFakeBotApi } from '../test/support/fake-bot-api.ts';

const perSecondGlobal = Number(process.env.FAKE_PER_SECOND ?? 30);
const api = await startFakeBotApi();
api.enforceLimits({ perSecondGlobal, perChatPerSecond: 1, perGroupPerMinute: 20 });
process.stdout.write(`${JSON.stringify({ apiRoot: api.apiRoot, token: api.token })}\n`);

process.on('message', (m: { type?: string }) => {
  if (m?.type !== 'stats') return;
  const perChat = new Map<number, number>();
  for (const s of api.sent) perChat.set(s.chat_id, (perChat.get(s.chat_id) ?? 0) + 1);
  const times = api.sent.map((s) => s.at);
  process.send?.({
    sent: api.sent.length,
    chats: perChat.size,
    duplicates: [...perChat.values()].reduce((a, n) => a + Math.max(0, n - 1), 0),
    violations: api.violations,
    rejected: api.calls.filter((c) => !c.ok && c.method === 'sendMessage').length,
    firstAt: times.length ? Math.min(...times) : 0,
    lastAt: times.length ? Math.max(...times) : 0,
    perSecondGlobal,
    gaps: gapStats(times),
  });
});
/** Gaps between consecutive sends (ms): where a slow rate comes from (steady lateness or stalls). */
function gapStats(times: number[]): Record<string, number> {
  const gaps = times.slice(1).map((t, i) => t - times[i]!).sort((a, b) => a - b);
  const q = (p: number): number => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? 0;
  return { median: q(0.5), p90: q(0.9), p99: q(0.99), max: gaps.at(-1) ?? 0, over100: gaps.filter((g) => g > 100).length };
}

process.on('SIGTERM', () => void api.close().then(() => process.exit(0)));
