import { Composer, type MiddlewareFn } from 'telegraf';
import { message } from 'telegraf/filters';
import { raiseSendPriority } from '../../core/send/send-context.ts';
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
    if (ctx.state.emergencyAnswered) return;
    const text = ctx.message.text.replace(new RegExp(`@${ctx.botInfo.username}`, 'gi'), '').trim();
    // With a model configured, unsure questions get its pick among curated entries; otherwise offline.
    const assisted = ctx.deps.assistedAnswerer;
    const looked = ctx.state.offlineAnswer as Answer | undefined;
    await sendAnswer(ctx, assisted ? await assisted.ask(text) : looked?.question === text ? looked : ctx.deps.content.kb.answerer.ask(text));
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

/** How long an emergency waits on de-duplication (Redis or the database) before it is answered anyway. */
const EMERGENCY_DEDUPE_BUDGET_MS = 500;

/**
 * Emergencies first (ARCHITECTURE promise 10): a private message that triage calls an emergency is
 * answered before the session, the model or anything slow is touched; de-duplication gets a short
 * budget and an outage never holds the steps back (a redelivered emergency answered twice is the
 * lesser harm). The rest of the chain still runs (a flow may take the message), but the answer is sent.
 */
export function emergencyFirst(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const msg = ctx.message;
    const text = msg && 'text' in msg ? msg.text : undefined;
    if (!text || text.startsWith('/') || ctx.chat?.type !== 'private') return next();
    const answer = ctx.deps.content.kb.answerer.ask(text);
    // Kept for the question feature, so a calm question is not looked up a second time.
    ctx.state.offlineAnswer = answer;
    if (!answer.emergency) return next();
    raiseSendPriority('emergency');
    const seen = await withBudget(ctx.deps.dedupe.seen(ctx.update.update_id), EMERGENCY_DEDUPE_BUDGET_MS).catch((err: Error) => {
      ctx.log.warn({ err: err.message }, 'de-duplication unavailable; the emergency is answered anyway');
      return false;
    });
    if (seen) return void ctx.log.info('redelivered update ignored');
    ctx.state.deduped = true;
    ctx.state.emergencyAnswered = true;
    ctx.deps.metrics.inc('questions_total', { kind: answer.kind });
    ctx.log.info({ kind: answer.kind, rule: answer.emergencyRule, entry: answer.extra?.id }, 'emergency answered first');
    await replyMarkdown(ctx, answer.answer, answerKeyboard(ctx.deps.content.strings, answer.related, undefined, undefined));
    void ctx.deps.questionLog.record(ctx.chat.id, 'telegram', answer).catch((err: Error) => ctx.log.warn({ err: err.message }, 'question log unavailable'));
    return next();
  };
}

function withBudget<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function sendAnswer(ctx: BotContext, answer: Answer): Promise<void> {
  const chatId = ctx.chat?.id ?? ctx.from?.id ?? 0;
  const logId = answer.kind === 'invalid' ? undefined : await ctx.deps.questionLog.record(chatId, 'telegram', answer);
  ctx.deps.metrics.inc('questions_total', { kind: answer.kind });
  ctx.log.info({ kind: answer.kind, entry: answer.entry?.id, score: answer.score, emergency: answer.emergency }, 'question answered');
  const moreOf = answer.moreAvailable ? answer.entry?.id : undefined;
  await replyMarkdown(ctx, answer.answer, answer.kind === 'invalid' ? undefined : answerKeyboard(ctx.deps.content.strings, answer.related, logId, moreOf));
}
