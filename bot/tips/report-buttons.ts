import { OTHER } from '../../core/content/negative-list.ts';
import { TIP_LIMITS, type TipDraft } from '../../core/tips/tip-model.ts';
import type { BotContext } from '../context.ts';
import { mainMenu } from '../keyboards.ts';
import { replyHtml } from '../reply.ts';
import type { TipCallback } from '../../core/tips/tip-callbacks.ts';
import { currentReport, endReport, sessionContext, setStep, type ReportData } from './report-state.ts';
import { closeMessage, editStep, sendStep } from './report-io.ts';
import { PRACTICES_PER_PAGE, previousStep } from './report-steps.ts';
import { enqueueOverdueCheck, enqueueStaffPost } from './tip-jobs.ts';
import { esc } from '../../core/tips/tip-text.ts';

type FlowButton = Extract<TipCallback, { kind: 'tip-flow' }>;

/**
 * A button of the report flow. It acts only if it belongs to this chat's current draft and step:
 * a button from an earlier step or an abandoned report is stale and changes nothing.
 */
export async function onFlowButton(ctx: BotContext, cb: FlowButton): Promise<void> {
  const r = currentReport(ctx);
  if (!r || r.data.draft !== cb.draft || r.step !== cb.step) {
    if (cb.value === '!submit') return answerAlreadySubmitted(ctx, cb.draft);
    await ctx.answerCbQuery(ctx.t('tips.expired'));
    return;
  }
  const { data: d } = r;
  const { content } = ctx.deps;
  const go = async (step: Parameters<typeof editStep>[1]): Promise<void> => {
    setStep(ctx, step);
    await ctx.answerCbQuery();
    await editStep(ctx, step, d);
  };
  if (cb.value === '!cancel') {
    endReport(ctx);
    await ctx.answerCbQuery();
    return closeMessage(ctx, ctx.t('tips.cancelled'));
  }
  if (cb.value === '!back') {
    const prev = previousStep(r.step, d);
    return prev ? go(prev) : expired(ctx);
  }
  switch (r.step) {
    case 'area':
      if (cb.value !== OTHER && !content.negativeList.area(cb.value)) return expired(ctx);
      d.area = cb.value;
      d.page = 0;
      delete d.practice;
      return go(cb.value === OTHER ? 'desc' : 'prac');
    case 'prac': {
      const page = /^!p(\d)$/.exec(cb.value);
      const count = content.negativeList.area(d.area ?? '')?.practices.length ?? 0;
      if (page) {
        if (Number(page[1]) * PRACTICES_PER_PAGE >= count) return expired(ctx);
        d.page = Number(page[1]);
        return go('prac');
      }
      if (cb.value === OTHER) delete d.practice;
      else if (content.negativeList.practice(cb.value)?.areaId === d.area) d.practice = cb.value;
      else return expired(ctx);
      return go('desc');
    }
    case 'town':
      if (cb.value !== OTHER && !content.towns.byId(cb.value)) return expired(ctx);
      if (cb.value === OTHER) delete d.town;
      else d.town = cb.value;
      return go('addr');
    case 'addr':
      return cb.value === '!skip' ? go('photo') : expired(ctx);
    case 'photo':
      return cb.value === '!skip' || cb.value === '!done' ? go('ident') : expired(ctx);
    case 'ident':
      if (cb.value === '!anon') {
        d.realName = false;
        delete d.nameEnc;
        delete d.phoneEnc;
        return go('conf');
      }
      if (cb.value !== '!real') return expired(ctx);
      if (!ctx.deps.tips.cipher) {
        await ctx.answerCbQuery();
        await ctx.reply(ctx.t('tips.real_unavailable'));
        return;
      }
      d.realName = true;
      return go('name');
    case 'conf':
      return cb.value === '!submit' ? submit(ctx, d) : expired(ctx);
    default:
      return expired(ctx);
  }
}

const expired = async (ctx: BotContext): Promise<void> => {
  await ctx.answerCbQuery(ctx.t('tips.expired'));
};

/** A second tap on 确认提交 (or one on an old summary) finds the stored tip and says so; nothing new is made. */
async function answerAlreadySubmitted(ctx: BotContext, draft: string): Promise<void> {
  const tip = ctx.chat ? await ctx.deps.tips.store.bySubmissionKey(draft, ctx.chat.id) : undefined;
  await ctx.answerCbQuery(tip ? ctx.t('tips.ack_exists', { tracking: tip.trackingNo }) : ctx.t('tips.expired'));
}

/** Commit first, then acknowledge: the tracking number is only ever shown for a stored tip. */
async function submit(ctx: BotContext, d: ReportData): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined || !d.area || !d.description) return expired(ctx);
  const draft: TipDraft = {
    submissionKey: d.draft, areaId: d.area, ...(d.practice ? { practiceId: d.practice } : {}), description: d.description,
    ...(d.town ? { townId: d.town } : {}), ...(d.address ? { address: d.address } : {}),
    ...(d.latitude !== undefined && d.longitude !== undefined ? { location: { latitude: d.latitude, longitude: d.longitude } } : {}),
    photos: d.photos, ...contactOf(ctx, d, chatId),
  };
  if (d.realName && !draft.contact) {
    await ctx.answerCbQuery();
    await ctx.reply(ctx.t('tips.real_unavailable'));
    setStep(ctx, 'ident');
    return sendStep(ctx, 'ident', d);
  }
  const res = await ctx.deps.tips.store.create(draft, chatId);
  ctx.deps.metrics.inc('tips_submitted_total', { outcome: res.kind });
  if (res.kind === 'exists') {
    await ctx.answerCbQuery(ctx.t('tips.ack_exists', { tracking: res.tip.trackingNo }));
    return;
  }
  if (res.kind === 'no-cipher') {
    await ctx.answerCbQuery();
    await ctx.reply(ctx.t('tips.real_unavailable'));
    setStep(ctx, 'ident');
    return sendStep(ctx, 'ident', d);
  }
  endReport(ctx);
  await ctx.answerCbQuery();
  if (res.kind === 'limit') {
    await ctx.reply(ctx.t('tips.limit', { max: TIP_LIMITS.perReporterPerDay }));
    return;
  }
  ctx.log.info({ tipId: res.tip.id, area: res.tip.areaId, realName: res.tip.realName, duplicate: Boolean(res.tip.duplicateOf) }, 'tip stored');
  await enqueueStaffPost(ctx, res.eventId);
  await enqueueOverdueCheck(ctx, res.tip.id);
  await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
  await replyHtml(ctx, ctx.t('tips.ack', { tracking: esc(res.tip.trackingNo) }), mainMenu(ctx.deps.content.strings));
}

function contactOf(ctx: BotContext, d: ReportData, chatId: number): Pick<TipDraft, 'contact'> {
  const cipher = ctx.deps.tips.cipher;
  if (!d.realName || !cipher || !d.nameEnc || !d.phoneEnc) return {};
  const name = cipher.decrypt(d.nameEnc, sessionContext(chatId));
  const phone = cipher.decrypt(d.phoneEnc, sessionContext(chatId));
  return name && phone ? { contact: { name, phone } } : {};
}
