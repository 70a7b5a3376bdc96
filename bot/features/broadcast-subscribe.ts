import { Composer, Markup } from 'telegraf';
import { message } from 'telegraf/filters';
import { cleanVillage, MAX_VILLAGE_CHARS, type SubscriberRole } from '../../core/broadcast/subscribers.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { replyHtml } from '../reply.ts';

const FLOW = 'broadcast-subscribe';

/**
 * /subscribe and /unsubscribe. Operators (广播员) choose their town/street and type their village and
 * get the full script every morning; residents (居民) choose their town and get a short daily tip.
 * A subscription is stored before it is confirmed to the user.
 */
export function broadcastSubscribeFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command('subscribe', async (ctx) => {
    if (!(await mayManageChat(ctx))) return void (await ctx.reply(ctx.t('broadcast.subscribe.admins_only')));
    if (ctx.session.flow?.name === FLOW) ctx.session.flow = undefined;
    const b = (role: SubscriberRole) => Markup.button.callback(ctx.t(`broadcast.subscribe.role_${role}`), encodeCallback({ kind: 'sub-role', role }));
    await replyHtml(ctx, ctx.t('broadcast.subscribe.choose_role', { time: ctx.deps.config.broadcast.time }), Markup.inlineKeyboard([[b('operator')], [b('resident')]]));
  });

  c.command('unsubscribe', async (ctx) => {
    if (!(await mayManageChat(ctx))) return void (await ctx.reply(ctx.t('broadcast.subscribe.admins_only')));
    if (ctx.session.flow?.name === FLOW) ctx.session.flow = undefined;
    const removed = await ctx.deps.broadcast.subscribers.unsubscribe(ctx.chat.id);
    ctx.log.info({ removed }, 'broadcast unsubscribe');
    await ctx.reply(ctx.t(removed ? 'broadcast.subscribe.unsubscribed' : 'broadcast.subscribe.not_subscribed'));
  });

  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'sub-role' && cb?.kind !== 'sub-town') return next();
    // In a group anyone can press the buttons an administrator was shown.
    if (!(await mayManageChat(ctx))) return ctx.answerCbQuery(ctx.t('broadcast.subscribe.admins_only'));
    if (cb.kind === 'sub-role') {
      await ctx.answerCbQuery();
      const rows = chunk(ctx.deps.content.towns.all.map((t) => Markup.button.callback(t.name, encodeCallback({ kind: 'sub-town', role: cb.role, townId: t.id }))), 3);
      return ctx.reply(ctx.t('broadcast.subscribe.choose_town'), Markup.inlineKeyboard(rows));
    }
    const town = ctx.deps.content.towns.byId(cb.townId);
    const chat = ctx.chat;
    if (!town || !chat) return ctx.answerCbQuery(ctx.t('bot.expired'));
    await ctx.answerCbQuery();
    if (cb.role === 'resident') {
      await ctx.deps.broadcast.subscribers.subscribe({ chatId: chat.id, chatType: chat.type, role: 'resident', townId: town.id, village: null });
      ctx.log.info({ role: 'resident', town: town.id }, 'broadcast subscribe');
      return replyHtml(ctx, ctx.t('broadcast.subscribe.done_resident', { town: escapeHtml(town.name) }));
    }
    ctx.session.flow = { name: FLOW, step: 'village', data: { town: town.id } };
    // In a group the bot only hears replies to itself, so the question asks for one.
    const extra = chat.type === 'private' ? {} : Markup.forceReply();
    return ctx.reply(ctx.t('broadcast.subscribe.ask_village', { max: MAX_VILLAGE_CHARS }), extra);
  });

  c.on(message('text'), async (ctx, next) => {
    const flow = ctx.session.flow;
    if (flow?.name !== FLOW || ctx.message.text.startsWith('/')) return next();
    const town = ctx.deps.content.towns.byId(String(flow.data.town ?? ''));
    if (!town) {
      ctx.session.flow = undefined;
      return ctx.reply(ctx.t('bot.expired'));
    }
    const typed = ctx.message.text.trim();
    const village = typed === ctx.t('broadcast.subscribe.skip_word') ? null : cleanVillage(typed);
    if (village === undefined) return ctx.reply(ctx.t('broadcast.subscribe.village_bad', { max: MAX_VILLAGE_CHARS }));
    await ctx.deps.broadcast.subscribers.subscribe({ chatId: ctx.chat.id, chatType: ctx.chat.type, role: 'operator', townId: town.id, village });
    ctx.session.flow = undefined;
    ctx.log.info({ role: 'operator', town: town.id }, 'broadcast subscribe');
    await replyHtml(ctx, ctx.t('broadcast.subscribe.done_operator', {
      town: escapeHtml(town.name), village: village ? ` · ${escapeHtml(village)}` : '', time: ctx.deps.config.broadcast.time,
    }));
  });

  return c;
}

/**
 * A group's daily broadcast is the group's business: only its administrators may subscribe or
 * unsubscribe it (a member could otherwise switch off the village's script). Private chats always may.
 * When Telegram cannot say, the answer is no.
 */
async function mayManageChat(ctx: BotContext): Promise<boolean> {
  if (!ctx.chat || ctx.chat.type === 'private') return true;
  if (!ctx.from) return false;
  try {
    const member = await ctx.telegram.getChatMember(ctx.chat.id, ctx.from.id);
    return member.status === 'creator' || member.status === 'administrator';
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message }, 'could not check group administrator');
    return false;
  }
}

/** The command list entries of this feature, for setMyCommands. */
export function broadcastCommands(t: (key: string) => string) {
  return (['subscribe', 'unsubscribe'] as const).map((command) => ({ command, description: t(`broadcast.commands.${command}`) }));
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}
