import { Composer } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Answer } from '../../core/knowledge/answer.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback } from '../../core/callback-data.ts';
import { answerKeyboard } from '../keyboards.ts';
import { replyMarkdown } from '../reply.ts';

/**
 * Free text is a question: emergency triage first, then the knowledge base, then the honest
 * fallback. 详细 opens the entry's longer section; related-topic buttons open curated entries; 👍/👎
 * land in the question log.
 */
export function questionFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.on(message('text'), async (ctx, next) => {
    if (ctx.message.text.startsWith('/')) return next();
    const text = ctx.message.text.replace(new RegExp(`@${ctx.botInfo.username}`, 'gi'), '').trim();
    // With a model configured, unsure questions get its pick among curated entries; otherwise offline.
    const assisted = ctx.deps.assistedAnswerer;
    await sendAnswer(ctx, assisted ? await assisted.ask(text) : ctx.deps.content.kb.answerer.ask(text));
  });

  c.on('callback_query', async (ctx, next) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const cb = decodeCallback(data);
    if (cb?.kind === 'topic' || cb?.kind === 'more') {
      const { answerer } = ctx.deps.content.kb;
      const answer = cb.kind === 'more' ? answerer.answerDetail(cb.entryId) : answerer.answerEntry(cb.entryId);
      if (!answer) return ctx.answerCbQuery(ctx.t('bot.expired'));
      await ctx.answerCbQuery();
      return sendAnswer(ctx, answer);
    }
    if (cb?.kind === 'feedback') {
      const chatId = ctx.chat?.id ?? ctx.from.id;
      const ok = await ctx.deps.questionLog.setFeedback(cb.logId, chatId, cb.value);
      if (!ok) return ctx.answerCbQuery(ctx.t('bot.expired'));
      return ctx.answerCbQuery(ctx.t(cb.value > 0 ? 'bot.feedback_thanks' : 'bot.feedback_sorry'));
    }
    return next();
  });

  return c;
}

async function sendAnswer(ctx: BotContext, answer: Answer): Promise<void> {
  const chatId = ctx.chat?.id ?? ctx.from?.id ?? 0;
  const logId = answer.kind === 'invalid' ? undefined : await ctx.deps.questionLog.record(chatId, 'telegram', answer);
  ctx.deps.metrics.inc('questions_total', { kind: answer.kind });
  ctx.log.info({ kind: answer.kind, entry: answer.entry?.id, score: answer.score, emergency: answer.emergency }, 'question answered');
  const moreOf = answer.moreAvailable ? answer.entry?.id : undefined;
  await replyMarkdown(ctx, answer.answer, answer.kind === 'invalid' ? undefined : answerKeyboard(ctx.deps.content.strings, answer.related, logId, moreOf));
}
