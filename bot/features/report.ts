import { Composer } from 'telegraf';
import type { Message } from 'telegraf/types';
import { cleanText, codePoints, normalizeMobile, TIP_LIMITS } from '../../core/tips/tip-model.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback } from '../../core/callback-data.ts';
import { replyMarkdown } from '../reply.ts';
import { currentReport, endReport, sessionContext, setStep, startReport, type ReportData } from '../tips/report-state.ts';
import { onFlowButton } from '../tips/report-buttons.ts';
import { renderStep } from '../tips/report-steps.ts';
import { sendStep } from '../tips/report-io.ts';
import type { FlowStep } from '../../core/tips/tip-callbacks.ts';

/**
 * /report and 我要举报: the step-by-step tip about the negative list, in a private chat only. Buttons
 * are handled in bot/tips/report-buttons.ts; here are the typed answers, photos, locations, contacts.
 */
export function reportFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('report', begin);
  c.hears((text, ctx) => (text === ctx.t('bot.menu_buttons.report') ? ([text] as unknown as RegExpExecArray) : null), begin);
  c.command('cancel', async (ctx, next) => {
    if (!currentReport(ctx)) return next();
    endReport(ctx);
    await ctx.reply(ctx.t('tips.cancelled'));
  });
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'tip-flow') return next();
    await onFlowButton(ctx, cb);
  });
  c.on('message', async (ctx, next) => {
    const r = currentReport(ctx);
    if (!r || ctx.chat.type !== 'private') return next();
    const msg = ctx.message;
    if ('text' in msg && msg.text.startsWith('/')) return next();
    await onMessage(ctx, r.step, r.data, msg);
  });
  return c;
}

async function begin(ctx: BotContext): Promise<void> {
  if (ctx.chat?.type !== 'private') {
    await ctx.reply(ctx.t('tips.private_only'));
    return;
  }
  if ((await ctx.deps.tips.store.countToday(ctx.chat.id)) >= TIP_LIMITS.perReporterPerDay) {
    await ctx.reply(ctx.t('tips.limit', { max: TIP_LIMITS.perReporterPerDay }));
    return;
  }
  const d = startReport(ctx);
  await sendStep(ctx, 'area', d);
}

async function onMessage(ctx: BotContext, step: FlowStep, d: ReportData, msg: Message): Promise<void> {
  const text = 'text' in msg ? cleanText(msg.text) : undefined;
  const next = async (to: FlowStep): Promise<void> => {
    setStep(ctx, to);
    await sendStep(ctx, to, d);
  };
  // Something happening right now comes first, whatever step the report is at (usually already sent
  // by emergencyFirst, before the session was read; then it is not sent twice).
  const emergency = ctx.state.emergencyAnswered || (!!text && ctx.deps.content.kb.triager.triage(text).rules.length > 0);
  if (emergency) {
    if (!ctx.state.emergencyAnswered) await replyMarkdown(ctx, ctx.deps.content.kb.answerer.ask(text!).answer);
    if (step !== 'desc' && step !== 'addr') return;
  }
  const cipher = ctx.deps.tips.cipher;
  switch (step) {
    case 'desc': {
      if (text === undefined) return void (await ctx.reply(ctx.t('tips.text_needed')));
      const n = codePoints(text);
      if (n < TIP_LIMITS.descriptionMin) return void (await ctx.reply(ctx.t('tips.describe_short', { min: TIP_LIMITS.descriptionMin })));
      if (n > TIP_LIMITS.descriptionMax) return void (await ctx.reply(ctx.t('tips.describe_long', { count: n, max: TIP_LIMITS.descriptionMax })));
      d.description = text;
      return next('town');
    }
    case 'town': {
      const town = text ? ctx.deps.content.towns.find(text) : undefined;
      if (!town) return void (await ctx.reply(ctx.t('tips.town_bad', { input: (text ?? '').slice(0, 20) })));
      d.town = town.id;
      return next('addr');
    }
    case 'addr':
      if ('location' in msg && msg.location) {
        d.latitude = msg.location.latitude;
        d.longitude = msg.location.longitude;
        return next('photo');
      }
      if (text === undefined || !text) return void (await ctx.reply(ctx.t('tips.text_needed')));
      if (codePoints(text) > TIP_LIMITS.addressMax) return void (await ctx.reply(ctx.t('tips.address_long', { max: TIP_LIMITS.addressMax })));
      d.address = text;
      return next('photo');
    case 'photo':
      return onPhoto(ctx, d, msg);
    case 'name':
      if (!text || codePoints(text) > TIP_LIMITS.nameMax || !cipher) return void (await ctx.reply(ctx.t('tips.name_bad', { max: TIP_LIMITS.nameMax })));
      d.nameEnc = cipher.encrypt(text, sessionContext(ctx.chat!.id));
      return next('phone');
    case 'phone': {
      let phone: string | undefined;
      if ('contact' in msg && msg.contact) {
        if (msg.contact.user_id !== ctx.from?.id) return void (await ctx.reply(ctx.t('tips.phone_not_own')));
        phone = normalizeMobile(msg.contact.phone_number);
      } else if (text) phone = normalizeMobile(text);
      if (!phone || !cipher) return void (await ctx.reply(ctx.t('tips.phone_bad')));
      d.phoneEnc = cipher.encrypt(phone, sessionContext(ctx.chat!.id));
      return next('conf');
    }
    default:
      // Steps answered with buttons: say so, and show the step again at the bottom of the chat.
      await ctx.reply(ctx.t('tips.use_buttons'));
      await sendStep(ctx, step, d);
  }
}

/** Up to three photos, stored by file_id (the largest size Telegram offers); everything else is explained. */
async function onPhoto(ctx: BotContext, d: ReportData, msg: Message): Promise<void> {
  if ('photo' in msg && msg.photo.length) {
    // No await between the check and the push: concurrent album updates share this session object.
    if (d.photos.length >= TIP_LIMITS.photosMax) return void (await ctx.reply(ctx.t('tips.photo_limit', { max: TIP_LIMITS.photosMax })));
    const largest = [...msg.photo].sort((a, b) => (b.file_size ?? b.width * b.height) - (a.file_size ?? a.width * a.height))[0]!;
    d.photos.push(largest.file_id);
    const { keyboard } = renderStep(ctx, 'photo', d);
    await ctx.reply(ctx.t('tips.photo_added', { count: d.photos.length, max: TIP_LIMITS.photosMax }), keyboard);
    return;
  }
  await ctx.reply(ctx.t('document' in msg ? 'tips.photo_as_file' : 'tips.use_buttons'));
}
