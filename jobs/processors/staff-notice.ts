import type { Processor } from '../types.ts';

/**
 * A one-line notice to the staff group (e.g. the language model's daily budget is spent). Without
 * STAFF_CHAT_ID it is logged instead, so the notice is never silently lost.
 */
export const staffNotice: Processor<{ text?: unknown }> = async (data, deps) => {
  const text = typeof data.text === 'string' ? data.text.slice(0, 1000) : '';
  if (!text) return { skipped: 'empty' };
  const chatId = deps.config.staffChatId;
  if (chatId === undefined) {
    deps.logger.warn({ notice: text }, 'staff notice (STAFF_CHAT_ID not set)');
    return { logged: true };
  }
  const m = await deps.telegram.sendMessage(chatId, text);
  return { posted: m.message_id };
};
