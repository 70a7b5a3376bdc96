import { Composer, Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { cleanText, codePoints, OPEN_STATUSES, TIP_LIMITS } from '../../core/tips/tip-model.ts';
import { localDateTime } from '../../core/tips/tracking.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { replyHtml } from '../reply.ts';
import { enqueueOverdueCheck, enqueueStaffPost } from '../tips/tip-jobs.ts';
import { esc, practiceLabel, statusLabel } from '../../core/tips/tip-text.ts';

const ADD_FLOW = 'tip-add';

/**
 * /mytips: the reporter's own tips with their status; add information to an open one, or say "not
 * fixed" on a closed one (once). Every button is checked against the reporter link, so a forged tip
 * id from another chat changes nothing.
 */
export function myTipsFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('mytips', list);
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'tip-mine') return next();
    const chatId = ctx.chat?.id;
    const tips = ctx.deps.tips.store;
    const tip = chatId !== undefined && ctx.chat?.type === 'private' ? (await tips.listForReporter(chatId, 100)).find((t) => t.id === cb.tipId) : undefined;
    if (!tip || chatId === undefined) return void (await ctx.answerCbQuery(ctx.t('tips.expired')));
    await ctx.answerCbQuery();
    const tracking = esc(tip.trackingNo);
    if (cb.op === 'stop') {
      if (ctx.session.flow?.name === ADD_FLOW) delete ctx.session.flow;
      return void (await ctx.reply(ctx.t('tips.add_cancelled')));
    }
    if (cb.op === 'add') {
      if (!OPEN_STATUSES.includes(tip.status)) return void (await ctx.reply(ctx.t('tips.add_not_open', { tracking })));
      ctx.session.flow = { name: ADD_FLOW, step: 'text', data: { tipId: tip.id } };
      const cancel = Markup.inlineKeyboard([[Markup.button.callback(ctx.t('tips.cancel'), encodeCallback({ kind: 'tip-mine', op: 'stop', tipId: tip.id }))]]);
      return replyHtml(ctx, ctx.t('tips.add_prompt', { tracking, max: TIP_LIMITS.addInfoMax }), cancel);
    }
    const r = await ctx.deps.tips.store.reopen(tip.id, chatId);
    if (r.kind === 'ok') {
      ctx.log.info({ tipId: tip.id }, 'tip reopened by reporter');
      await enqueueStaffPost(ctx, r.eventId);
      await enqueueOverdueCheck(ctx, tip.id);
      await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
    }
    const key = r.kind === 'ok' ? 'reopen_done' : r.kind === 'reopen-used' ? 'reopen_used' : 'reopen_not_closed';
    await ctx.reply(ctx.t(`tips.${key}`, { tracking: tip.trackingNo }));
  });
  c.on('message', async (ctx, next) => {
    const flow = ctx.session?.flow;
    if (flow?.name !== ADD_FLOW || ctx.chat.type !== 'private') return next();
    const msg = ctx.message;
    if ('text' in msg && msg.text.startsWith('/')) return next();
    const tipId = Number(flow.data.tipId);
    const text = 'text' in msg ? cleanText(msg.text) : '';
    if (!text) return void (await ctx.reply(ctx.t('tips.text_needed')));
    const n = codePoints(text);
    if (n > TIP_LIMITS.addInfoMax) return void (await ctx.reply(ctx.t('tips.add_long', { count: n, max: TIP_LIMITS.addInfoMax })));
    delete ctx.session.flow;
    const r = await ctx.deps.tips.store.addInfo(tipId, ctx.chat.id, text);
    if (r.kind !== 'ok') {
      const tip = (await ctx.deps.tips.store.listForReporter(ctx.chat.id, 100)).find((t) => t.id === tipId);
      return void (await ctx.reply(tip ? ctx.t('tips.add_not_open', { tracking: tip.trackingNo }) : ctx.t('tips.expired')));
    }
    await enqueueStaffPost(ctx, r.eventId);
    await ctx.reply(ctx.t('tips.add_done', { tracking: r.tip.trackingNo }));
  });
  return c;
}

async function list(ctx: BotContext): Promise<void> {
  if (ctx.chat?.type !== 'private') return void (await ctx.reply(ctx.t('tips.private_only')));
  const tips = await ctx.deps.tips.store.listForReporter(ctx.chat.id, 10);
  if (!tips.length) return void (await ctx.reply(ctx.t('tips.mytips_empty')));
  const { content } = ctx.deps;
  const items = tips.map((t) => ctx.t('tips.mytips_item', {
    tracking: esc(t.trackingNo), date: localDateTime(t.createdAt).slice(0, 10), practice: practiceLabel(content, t.practiceId),
    status: statusLabel(content, t.status), note: t.resultNote && !OPEN_STATUSES.includes(t.status) ? ctx.t('tips.mytips_note', { note: esc(t.resultNote) }) : '',
  }));
  const rows: InlineKeyboardButton[][] = [];
  for (const t of tips) {
    if (OPEN_STATUSES.includes(t.status)) rows.push([Markup.button.callback(ctx.t('tips.add_button', { tracking: t.trackingNo }), encodeCallback({ kind: 'tip-mine', op: 'add', tipId: t.id }))]);
    else if (t.status === 'closed' && t.reopenCount < TIP_LIMITS.reopenMax) {
      rows.push([Markup.button.callback(ctx.t('tips.reopen_button', { tracking: t.trackingNo }), encodeCallback({ kind: 'tip-mine', op: 'reopen', tipId: t.id }))]);
    }
  }
  await replyHtml(ctx, [ctx.t('tips.mytips_header', { count: tips.length }), ...items].join('\n\n'), Markup.inlineKeyboard(rows));
}
