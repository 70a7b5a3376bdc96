import { Composer, Markup } from 'telegraf';
import type { BotContext } from '../context.ts';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { replyHtml } from '../reply.ts';
import { esc } from '../../core/tips/tip-text.ts';

/**
 * /delete_me: one command for all personal data. Every module registers a PersonalDataEraser
 * (BotDeps.erasers, built in bin/app.ts); this feature shows all their previews, asks once, then
 * runs every eraser. Private chat only, so a person's data is never listed in a group.
 */
export function deleteMeFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('delete_me', async (ctx) => {
    if (ctx.chat.type !== 'private') return void (await ctx.reply(ctx.t('tips.delete_me.private_only')));
    const lines = [...(await Promise.all(ctx.deps.erasers.map((e) => e.preview(ctx.from.id)))).flat(), ...draftLine(ctx)];
    if (!lines.length) return void (await ctx.reply(ctx.t('tips.delete_me.nothing')));
    const keyboard = Markup.inlineKeyboard([[
      Markup.button.callback(ctx.t('tips.delete_me.confirm'), encodeCallback({ kind: 'delete-me', confirm: true })),
      Markup.button.callback(ctx.t('tips.delete_me.cancel'), encodeCallback({ kind: 'delete-me', confirm: false })),
    ]]);
    await replyHtml(ctx, ctx.t('tips.delete_me.preview', { lines: lines.map(esc).join('\n') }), keyboard);
  });
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'delete-me') return next();
    if (ctx.chat?.type !== 'private') return void (await ctx.answerCbQuery(ctx.t('tips.expired')));
    const pressed = ctx.callbackQuery.message?.message_id;
    // The first tap's result stays on the message: a second tap (or a redelivered one) only hears so.
    if (pressed !== undefined && ctx.session?.deleteMeDone === pressed) return void (await ctx.answerCbQuery(ctx.t('tips.delete_me.already')));
    await ctx.answerCbQuery();
    if (!cb.confirm) {
      ctx.session = { ...ctx.session, deleteMeDone: pressed };
      return void (await finish(ctx, ctx.t('tips.delete_me.cancelled')));
    }
    // A half-finished form (a name or phone typed into sign-up or a report) lives in the session.
    const lines: string[] = draftLine(ctx);
    ctx.session = { deleteMeDone: pressed };
    // Every eraser runs even if one fails, so a problem in one module does not keep the others' data.
    let failed = false;
    for (const eraser of ctx.deps.erasers) {
      try {
        lines.push(...(await eraser.erase(ctx.from.id)));
      } catch (err) {
        failed = true;
        ctx.log.error({ err: (err as Error).message, eraser: eraser.name }, 'personal data eraser failed');
      }
    }
    await ctx.deps.scrubStorage().catch((err: Error) => {
      failed = true;
      ctx.log.error({ err: err.message }, 'scrubbing the database files after erasure failed');
    });
    ctx.log.info({ erasers: ctx.deps.erasers.map((e) => e.name), failed }, '/delete_me done');
    const done = lines.length ? ctx.t('tips.delete_me.done', { lines: lines.map(esc).join('\n') }) : ctx.t('tips.delete_me.nothing');
    await finish(ctx, failed ? `${done}\n\n${esc(ctx.t('bot.error'))}` : done);
  });
  return c;
}

const draftLine = (ctx: BotContext): string[] => (ctx.session?.flow ? [ctx.t('tips.delete_me.draft')] : []);

async function finish(ctx: BotContext, html: string): Promise<void> {
  try {
    await ctx.editMessageText(html, { parse_mode: 'HTML' });
  } catch {
    await replyHtml(ctx, html);
  }
}
