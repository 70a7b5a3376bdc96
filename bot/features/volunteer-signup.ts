import { Composer } from 'telegraf';
import type { BotContext } from '../context.ts';
import { decodeCallback } from '../../core/callback-data.ts';
import { mainMenu } from '../keyboards.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import { vol, isPrivate } from '../volunteer/deps.ts';
import { namesOr } from '../volunteer/pickers.ts';
import { profileSteps, sessionPhone, type ProfileData } from '../volunteer/profile-steps.ts';
import { activeFlow, answeringOnce, driveWizard, feedWizard, flowButton, navRow, prompt, startWizard, type Step, type Wizard } from '../volunteer/wizard.ts';

const steps = profileSteps(true);

const consent: Step<ProfileData> = {
  id: 'consent',
  prompt: (ctx) => prompt(ctx, ctx.t('volunteer.consent'), [[flowButton(ctx.t('volunteer.buttons.agree'), 'ok', 'consent')], navRow(ctx, 'consent', false)]),
  async handle(ctx, input) {
    if (input.action === 'ok' && input.arg === 'consent') return 'next';
    await ctx.reply(ctx.t('volunteer.consent_hint'));
    return 'stay';
  },
};

export function summaryHtml(ctx: BotContext, d: ProfileData, phone: string | undefined): string {
  const { content } = ctx.deps;
  return ctx.t('volunteer.summary', {
    name: escapeHtml(d.name ?? ''),
    phone: phone ?? ctx.t('volunteer.phone_unreadable'),
    town: content.towns.byId(d.townId ?? '')?.name ?? '',
    community: escapeHtml(d.community ?? ''),
    skills: namesOr(content, content.skills.skills, d.skills),
    availability: namesOr(content, content.skills.availability, d.availability),
  });
}

const confirm: Step<ProfileData> = {
  id: 'confirm',
  prompt: (ctx, d) => prompt(ctx, summaryHtml(ctx, d, sessionPhone(ctx, d)), [[flowButton(ctx.t('volunteer.buttons.save'), 'save', 'confirm')], navRow(ctx, 'confirm')]),
  async handle(ctx, input) {
    if (input.action === 'save' && input.arg === 'confirm') return 'next';
    await ctx.reply(ctx.t('volunteer.confirm_hint'));
    return 'stay';
  },
};

/**
 * Sign-up: consent, then name, phone, town, village/community, skills, availability, a summary. The
 * row is committed before "登记成功" is sent; a double tap on 确认提交 finds the row and says so.
 */
export const signupWizard: Wizard<ProfileData> = {
  name: 'vol-signup',
  steps: [consent, steps.name, steps.phone, steps.town, steps.community, steps.skills, steps.availability, confirm],
  async finish(ctx, d) {
    const repos = vol(ctx);
    const phone = sessionPhone(ctx, d);
    if (!repos.volunteers.canStorePhones || !phone || !d.name || !d.townId || !d.community || !ctx.from) {
      await ctx.reply(ctx.t('volunteer.closed'), mainMenu(ctx.deps.content.strings));
      return;
    }
    const draft = { name: d.name, phone, townId: d.townId, community: d.community, skills: d.skills, availability: d.availability };
    const r = await repos.volunteers.register(ctx.from.id, draft, new Date(ctx.deps.now()).toISOString());
    ctx.log.info({ outcome: r, town: d.townId }, 'volunteer sign-up');
    ctx.deps.metrics.inc('volunteer_signups_total', { outcome: r });
    await ctx.reply(ctx.t(r === 'created' ? 'volunteer.registered' : 'volunteer.already'), mainMenu(ctx.deps.content.strings));
  },
};

async function begin(ctx: BotContext): Promise<void> {
  if (!isPrivate(ctx) || !ctx.from) {
    await ctx.reply(ctx.t('volunteer.private_only'));
    return;
  }
  const repos = vol(ctx);
  if (await repos.volunteers.byUserId(ctx.from.id)) {
    await ctx.reply(ctx.t('volunteer.already'));
    return;
  }
  if (!repos.volunteers.canStorePhones) {
    ctx.log.warn('volunteer sign-up refused: DATA_KEY is not set');
    await ctx.reply(ctx.t('volunteer.closed'));
    return;
  }
  await startWizard<ProfileData>(ctx, signupWizard, { skills: [], availability: [] });
}

/** /volunteer and the 志愿者 menu entry start sign-up; messages and buttons then drive the steps. */
export function volunteerSignupFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('volunteer', begin);
  c.hears((text, ctx) => (text === ctx.t('bot.menu_buttons.volunteer') ? ([text] as unknown as RegExpExecArray) : null), begin);
  c.on('message', (ctx, next) => feedWizard(ctx, ctx.message, activeFlow(ctx, signupWizard) && signupWizard, next));
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'vol-flow' || !activeFlow(ctx, signupWizard)) return next();
    await answeringOnce(ctx, () => driveWizard(ctx, signupWizard, { action: cb.action, arg: cb.arg, messageId: ctx.callbackQuery.message?.message_id }));
  });
  return c;
}
