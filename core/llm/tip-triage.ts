import { z } from 'zod';
import type { Strings } from '../content/strings.ts';
import type { Llm } from './llm.ts';
import { redactPersonalData } from './redact.ts';

/** The part of a negative-list practice the model needs; the loaded `Practice` fits. */
export interface PracticeOption {
  readonly id: string;
  readonly name: string;
}

/** A model's guess for staff, always shown labelled as a suggestion; staff decide. */
export interface TipSuggestion {
  readonly kind: 'suggestion';
  /** A practice from the list, or null when the model found none that fits. */
  readonly practiceId: string | null;
  readonly practiceName?: string;
  /** One line for staff, in Chinese; checked to carry no links, numbers or markup. */
  readonly summary: string;
}

const INSTRUCTIONS =
  'You help staff of the Yubei District Emergency Management Bureau sort safety tips from the public. ' +
  'The data holds `tip`, a report a resident filed as "other" (personal details already removed), and ' +
  '`practices`, the prohibited practices of the safety negative list (id and name). Pick the one practice the ' +
  'tip most likely reports, or "none" if none fits, and write a neutral one-line summary of what is reported, ' +
  'in Simplified Chinese, at most 40 characters, without names, numbers or links. ' +
  'Reply as {"practiceId": "<a practice id or none>", "summary": "<summary>"}.';

const MAX_TIP_CHARS = 800;
const replySchema = z.object({ practiceId: z.string().max(60), summary: z.string() });
// A summary is shown to staff: short Chinese prose, nothing clickable, no numbers a model might invent.
const SAFE_SUMMARY = /^(?=.*\p{Script=Han})[^<>\n\r`*_[\]]{4,60}$/u;
const UNSAFE_IN_SUMMARY = /https?:|www\.|\d{3,}|@/i;

/**
 * Suggests the negative-list practice and a one-line summary for a tip filed as "other". The text is
 * stripped of names, phone numbers and other identifiers before it is sent; only that text and the
 * practice names leave the service, never who reported. Returns undefined (no suggestion) when the
 * model is unavailable or its reply is unusable, e.g. an id not on the list after a prompt-injection try.
 */
export async function suggestTipPractice(
  text: string,
  practices: readonly PracticeOption[],
  llm: Llm,
  options: { readonly deadlineMs?: number } = {},
): Promise<TipSuggestion | undefined> {
  const tip = redactPersonalData(text).trim().slice(0, MAX_TIP_CHARS);
  if (!tip || !practices.length || !llm.can('chat')) return undefined;
  const r = await llm.json({
    purpose: 'tip-triage',
    instructions: INSTRUCTIONS,
    data: { tip, practices: practices.map((p) => ({ id: p.id, name: p.name })) },
    schema: replySchema,
    maxTokens: 120,
    deadlineMs: options.deadlineMs ?? 8000,
  });
  if (!r.ok) return undefined;
  const id = r.value.practiceId.trim();
  const practice = practices.find((p) => p.id === id);
  if (!practice && id !== 'none') return undefined;
  const summary = redactPersonalData(r.value.summary.trim());
  if (!SAFE_SUMMARY.test(summary) || UNSAFE_IN_SUMMARY.test(summary)) return undefined;
  return { kind: 'suggestion', practiceId: practice?.id ?? null, practiceName: practice?.name, summary };
}

/** The staff-facing text, always marked as a model's suggestion to be checked by a person. */
export function formatTipSuggestion(s: TipSuggestion, strings: Strings): string {
  const practice = s.practiceName ? strings.t('llm.tip_practice', { name: s.practiceName }) : strings.t('llm.tip_no_practice');
  return strings.t('llm.tip_suggestion', { practice, summary: s.summary });
}
