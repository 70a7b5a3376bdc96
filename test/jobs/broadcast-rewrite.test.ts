import { afterEach, expect, it } from 'vitest';
import { enqueueDailyBroadcast } from '../../jobs/broadcast/processors.ts';
import { generateScript } from '../../core/broadcast/generate-script.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { addSubscribers, nextDone, startBroadcastHarness, type BroadcastHarness } from '../support/broadcast-harness.ts';

let h: BroadcastHarness | undefined;
let ai: FakeOpenAi | undefined;
afterEach(async () => {
  await h?.stop();
  await ai?.close();
});

async function broadcastWith(reword: (paragraphs: string[]) => string[]) {
  ai = await startFakeOpenAi();
  ai.onChat((req) => ({ json: { paragraphs: reword((req.data as { paragraphs: string[] }).paragraphs) } }));
  h = await startBroadcastHarness({ env: ai.env() });
  const [operator] = await addSubscribers(h.repos, 1, { firstId: 840_001, role: 'operator' });
  const done = nextDone(h.events, 'broadcast');
  await enqueueDailyBroadcast(h.app.queue, h.today);
  await done;
  const generated = generateScript({ date: h.today, content: h.deps.content });
  const sent = h.api.messagesTo(operator!).map((m) => m.plain_text ?? '').join('\n');
  return { generated, sent, stored: (await h.repos.store.daily(h.today))!.payload };
}

it('a verified rewording becomes the day\'s district script and stays; town scripts keep their own wording', async () => {
  const r = await broadcastWith((ps) => ps.map((p, i) => (i === 0 ? p.replace('大家好', '早上好') : p)));
  expect(r.generated.text).toContain('大家好');
  expect(r.stored.district.text).toContain('早上好');
  expect((await h!.deps.scripts.forDate(h!.today)).text).toBe(r.stored.district.text);
  // A town operator's script names their town, so it is the deterministic town variant.
  expect(r.sent).toContain('大家好');
  expect(r.sent).toContain('119');
});

it('a rewording that drops 119 is refused: the deterministic script goes out', async () => {
  const r = await broadcastWith((ps) => ps.map((p) => p.replaceAll('119', '')));
  expect(r.stored.district.text).toBe(r.generated.text);
  expect(r.sent).toContain('119');
});
