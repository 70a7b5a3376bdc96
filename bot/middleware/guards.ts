import type { MiddlewareFn } from 'telegraf';
import { runInSendScope } from '../../core/send/send-context.ts';
import type { BotContext, BotDeps } from '../context.ts';

/**
 * Attaches deps, a per-update child logger and the strings shortcut; everything the update sends is
 * a reply to a person who just wrote (the send path's second priority, after emergencies).
 */
export function contextSetup(deps: BotDeps): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    ctx.deps = deps;
    ctx.log = deps.logger.child({ update_id: ctx.update.update_id });
    ctx.t = (key, vars) => deps.content.strings.t(key, vars);
    return runInSendScope({ priority: 'reply', updateId: ctx.update.update_id }, next);
  };
}

/**
 * A redelivered update (same update_id) is dropped before it can have any effect. The mark is written
 * after the handler ran, so an update that crashed half-way is handled again on redelivery.
 */
export function dedupeUpdates(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    if (!ctx.state.deduped && (await ctx.deps.dedupe.seen(id))) {
      ctx.log.info('redelivered update ignored');
      return;
    }
    try {
      await next();
    } finally {
      await ctx.deps.dedupe.mark(id).catch((err: Error) => ctx.log.warn({ err: err.message }, 'could not mark the update as handled'));
    }
  };
}

/** Past the per-chat limit: one polite notice, then silence until the chat calms down. */
export function floodControl(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const key = ctx.chat?.id ?? ctx.from?.id;
    if (key === undefined || !('message' in ctx.update)) return next();
    const verdict = ctx.deps.flood.hit(key, ctx.deps.now());
    if (verdict === 'ok') return next();
    ctx.log.warn({ verdict }, 'flood control');
    if (verdict === 'notice') await ctx.reply(ctx.t('bot.flood'));
  };
}

/**
 * In groups the bot speaks only when addressed: a command, a mention of its username, or a reply to
 * one of its messages. The staff group is handled by staff features, which come before this filter.
 */
export function onlyWhenAddressed(): MiddlewareFn<BotContext> {
  return (ctx, next) => {
    if (!ctx.chat || ctx.chat.type === 'private' || !ctx.message) return next();
    const msg = ctx.message;
    const text = 'text' in msg ? msg.text : '';
    const username = ctx.botInfo?.username;
    const mentioned = username ? text.toLowerCase().includes(`@${username.toLowerCase()}`) : false;
    const isCommand = text.startsWith('/');
    const repliesToBot = 'reply_to_message' in msg && msg.reply_to_message?.from?.id === ctx.botInfo?.id;
    if (mentioned || repliesToBot || isCommand) return next();
  };
}
