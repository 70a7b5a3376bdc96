import { formatTipSuggestion, suggestTipPractice } from '../../core/llm/tip-triage.ts';
import type { Tip } from '../../core/tips/tip-model.ts';
import { esc } from '../../core/tips/tip-text.ts';
import type { WorkerDeps } from '../types.ts';

/**
 * For a tip filed as "other", asks the optional model which negative-list practice it reports and
 * posts that as a labelled suggestion under the staff card. Only the tip's description leaves the
 * service (stripped of names and numbers); never the reporter, contact or location. Best effort: any
 * failure just means no suggestion, and the card itself has already been posted.
 */
export async function postTipSuggestion(tip: Tip, cardMessageId: number, chatId: number, deps: WorkerDeps): Promise<void> {
  if (tip.practiceId || !deps.llm) return;
  const area = deps.content.negativeList.areas.find((a) => a.id === tip.areaId);
  const practices = area ? area.practices : deps.content.negativeList.areas.flatMap((a) => a.practices);
  try {
    const s = await suggestTipPractice(tip.description, practices, deps.llm);
    if (!s) return;
    await deps.telegram.sendMessage(chatId, esc(formatTipSuggestion(s, deps.content.strings)), {
      reply_parameters: { message_id: cardMessageId, allow_sending_without_reply: true },
    });
  } catch (err) {
    deps.logger.warn({ tipId: tip.id, err: err instanceof Error ? err.message : String(err) }, 'tip suggestion not posted');
  }
}
