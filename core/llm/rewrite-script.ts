import crypto from 'node:crypto';
import { z } from 'zod';
import type { BroadcastScript } from '../broadcast/generate-script.ts';
import { countChars } from '../broadcast/read-aloud.ts';
import { escapeHtml, escapeMarkdown } from '../broadcast/render-script.ts';
import type { Llm } from './llm.ts';
import { verifyRewrite } from './script-verifier.ts';

/** The first outcome for a day's script: the accepted text, or null when the deterministic script stands. */
export interface StoredRewrite {
  readonly text: string | null;
  /** 'accepted', or why not ('unavailable', 'timeout', 'number 119 dropped', …) for the operators' log. */
  readonly reason: string;
}

/** Rewrites by date and source script; the first stored outcome wins, so a day's text never changes. */
export interface ScriptRewriteStore {
  get(date: string, sourceHash: string): Promise<StoredRewrite | undefined>;
  /** Stores the outcome unless one exists, and returns whichever is stored. */
  putFirst(date: string, sourceHash: string, outcome: StoredRewrite): Promise<StoredRewrite>;
}

export type RewrittenScript = BroadcastScript & { readonly rewritten: boolean };

const INSTRUCTIONS =
  'You edit the daily safety broadcast of the Yubei District Emergency Management Bureau (Chongqing), read ' +
  'aloud on village loudspeakers. The data holds `paragraphs`, today\'s script. Make it sound natural and warm ' +
  'when spoken, in Simplified Chinese: join choppy sentences, smooth transitions, vary the wording of the ' +
  'greeting, introduction and closing. Rules: keep every piece of safety advice and its meaning, keep every ' +
  'negation (不要, 不能, 千万不) exactly, keep every number exactly as written in digits (119, 110, 120, 12350, dates). ' +
  'Do not add any advice, number, phone number, hotline, law, regulation, article, fine or website. No symbols, ' +
  'lists or markup. Keep about the same length and paragraph order. Reply as {"paragraphs": ["...", "..."]}.';

const replySchema = z.object({ paragraphs: z.array(z.string().min(1).max(2000)).min(3).max(20) });

export function scriptHash(script: BroadcastScript): string {
  return crypto.createHash('sha256').update(script.text).digest('hex').slice(0, 32);
}

/**
 * The day's script as rewritten for reading aloud, or the deterministic script when the model is not
 * configured, unavailable, or its rewrite fails the verifier. The first outcome for a date and source
 * text is stored and reused, so the script never changes after it is first delivered; a day whose
 * first attempt failed keeps the deterministic script for good.
 */
export async function rewriteScript(
  script: BroadcastScript,
  llm: Llm,
  store: ScriptRewriteStore,
  options: { readonly timeoutMs?: number } = {},
): Promise<RewrittenScript> {
  const hash = scriptHash(script);
  const stored = await store.get(script.date, hash);
  if (stored) return applyRewrite(script, stored);
  // Nothing configured: nothing to remember either, and nothing leaves the service.
  if (!llm.capabilities.chat) return { ...script, rewritten: false };

  let outcome: StoredRewrite;
  if (!llm.can('chat')) {
    outcome = { text: null, reason: 'unavailable' };
  } else {
    const paragraphs = script.text.split(/\n\s*\n/);
    // Output is long, so this call may take longer than a question; it runs in a job, nobody waits on it.
    const timeoutMs = options.timeoutMs ?? 30_000;
    const r = await llm.json({
      purpose: 'rewrite-script',
      instructions: INSTRUCTIONS,
      data: { paragraphs },
      schema: replySchema,
      maxTokens: Math.min(4000, countChars(script.text) * 3),
      timeoutMs,
      deadlineMs: timeoutMs * 2,
    });
    if (!r.ok) outcome = { text: null, reason: r.reason };
    else {
      const text = r.value.paragraphs.map((p) => p.trim()).filter(Boolean).join('\n\n');
      const verdict = verifyRewrite(script, text);
      outcome = verdict.ok ? { text, reason: 'accepted' } : { text: null, reason: verdict.reasons.slice(0, 5).join('; ') };
    }
  }
  return applyRewrite(script, await store.putFirst(script.date, hash, outcome));
}

/** Read-only: a stored rewrite if there is one, for dates that should not trigger a new model call. */
export async function storedRewrite(script: BroadcastScript, store: ScriptRewriteStore): Promise<RewrittenScript> {
  const stored = await store.get(script.date, scriptHash(script));
  return stored ? applyRewrite(script, stored) : { ...script, rewritten: false };
}

/**
 * Swaps the read-aloud paragraphs in every rendering. The title, theme and the list of sources stay
 * those of the deterministic script, so operators still see where each piece of advice came from.
 */
function applyRewrite(script: BroadcastScript, stored: StoredRewrite): RewrittenScript {
  if (stored.text === null) return { ...script, rewritten: false };
  const paragraphs = stored.text.split(/\n\s*\n/);
  const mdTail = script.markdown.indexOf('\n\n---\n\n');
  const htmlHead = script.html.indexOf('<div class="broadcast-text">\n');
  const htmlTail = script.html.indexOf('\n</div>', htmlHead);
  // Renderings not in the expected shape: keep the deterministic script rather than show two texts.
  if (mdTail < 0 || htmlHead < 0 || htmlTail < 0) return { ...script, rewritten: false };
  const markdown = [
    `# ${escapeMarkdown(script.title)}`,
    `**主题**：${escapeMarkdown(script.theme.name)}`,
    ...paragraphs.map(escapeMarkdown),
  ].join('\n\n') + script.markdown.slice(mdTail);
  const htmlOpen = '<div class="broadcast-text">\n';
  const html = script.html.slice(0, htmlHead + htmlOpen.length) + paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n') + script.html.slice(htmlTail);
  return { ...script, text: stored.text, markdown, html, chars: countChars(stored.text), rewritten: true };
}
