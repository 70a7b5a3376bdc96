import { describe, expect, it } from 'vitest';
import { loadContent } from '../../../core/content/load-content.ts';
import { generateScript } from '../../../core/broadcast/generate-script.ts';
import { createScriptSource } from '../../../core/broadcast/script-source.ts';
import { CONTENT_DIR, realContent } from '../../support/content.ts';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('script source on a far date', () => {
  it('keeps the event loop turning while it catches up, and gives the same script as one straight walk', async () => {
    // Freshly loaded content has a cold selection walk, as in a service that just started.
    const source = createScriptSource({ content: loadContent(CONTENT_DIR) });
    let done = false;
    const far = source.forDate('2028-12-31').then((s) => { done = true; return s; });
    // Done in one synchronous go, the script would be ready before the event loop turned even once.
    await nextTurn();
    expect(done).toBe(false);
    const script = await far;
    expect(script).toEqual(generateScript({ date: '2028-12-31', content: realContent() }));
  }, 60_000);
});
