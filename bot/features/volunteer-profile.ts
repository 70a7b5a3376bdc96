import { Composer } from 'telegraf';
import type { Volunteer } from '../../core/volunteers/volunteer-store.ts';
import { yearSummary } from '../../core/volunteers/duty.ts';
import { formatLocal, fromLocal, localDayAfter, localParts, parseLocalDate } from '../../core/volunteers/local-time.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback } from '../../core/callback-data.ts';
import { mainMenu } from '../keyboards.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import { vol, isPrivate } from '../volunteer/deps.ts';
import { hours } from '../../core/volunteers/volunteer-messages.ts';
import { namesOr } from '../volunteer/pickers.ts';
import { PROFILE_FIELDS, profileSteps, sessionPhone, type ProfileData, type ProfileField } from '../volunteer/profile-steps.ts';
import { activeFlow, answeringOnce, driveWizard, feedWizard, expired, flowButton, navRow, prompt, startWizard, type Wizard } from '../volunteer/wizard.ts';

type EditData = ProfileData & { pauseUntil?: string };
const steps = profileSteps(false);

/** One single-step wizard per field: /me → ✏️ asks that step alone, then saves it. */
function editWizard(field: ProfileField): Wizard<EditData> {
  return {
    name: `vol-edit-${field}`,
    steps: [steps[field]],
    async finish(ctx, d) {
      if (!ctx.from) return;
      const phone = field === 'phone' ? sessionPhone(ctx, d) : undefined;
      const repos = vol(ctx);
      if (field === 'phone' && (!phone || !repos.volunteers.canStorePhones)) {
        await ctx.reply(ctx.t('volunteer.closed'), mainMenu(ctx.deps.content.strings));
        return;
      }
      const patch = {
        name: d.name, phone, townId: d.townId, community: d.community,
        skills: field === 'skills' ? d.skills : undefined, availability: field === 'availability' ? d.availability : undefined,
      };
      const ok = await repos.volunteers.update(ctx.from.id, patch, new Date(ctx.deps.now()).toISOString());
      await ctx.reply(ctx.t(ok ? 'volunteer.updated' : 'volunteer.not_registered'), mainMenu(ctx.deps.content.strings));
      if (ok) await showProfile(ctx);
    },
  };
}
const editWizards = {} as Record<ProfileField, Wizard<EditData>>;
for (const f of PROFILE_FIELDS) editWizards[f] = editWizard(f);

/** Pause until a day: three buttons or a typed date (from tomorrow on). */
const pauseWizard: Wizard<EditData> = {
  name: 'vol-pause',
  steps: [{
    id: 'pause',
    prompt: (ctx) => prompt(ctx, ctx.t('volunteer.pause_prompt'), [
      (['7', '14', '30'] as const).map((n) => flowButton(ctx.t(`volunteer.buttons.pause_${n}`), 'pause', n)), navRow(ctx, 'pause', false)]),
    async handle(ctx, input, d) {
      const now = ctx.deps.now();
      const date = input.action === 'pause' && ['7', '14', '30'].includes(input.arg ?? '') ? localDayAfter(now, Number(input.arg))
        : input.text ? parseLocalDate(input.text, now) : undefined;
      if (!date || date <= localParts(now).date) {
        if (ctx.callbackQuery) await expired(ctx);
        else await ctx.reply(ctx.t('volunteer.invalid.date'));
        return 'stay';
      }
      d.pauseUntil = date;
      return 'next';
    },
  }],
  async finish(ctx, d) {
    if (!ctx.from || !d.pauseUntil) return;
    const ok = await vol(ctx).volunteers.pause(ctx.from.id, d.pauseUntil, new Date(ctx.deps.now()).toISOString());
    await ctx.reply(ctx.t(ok ? 'volunteer.paused' : 'volunteer.not_registered', { date: d.pauseUntil }));
  },
};

const wizards: Wizard<EditData>[] = [...Object.values(editWizards), pauseWizard];
const current = (ctx: BotContext): Wizard<EditData> | undefined => wizards.find((w) => activeFlow(ctx, w));

export function profileHtml(ctx: BotContext, v: Volunteer): string {
  const { content } = ctx.deps;
  const paused = v.status === 'paused' && v.pausedUntil && v.pausedUntil > localParts(ctx.deps.now()).date;
  return ctx.t('volunteer.profile', {
    name: escapeHtml(v.name),
    phone: v.phone ?? ctx.t('volunteer.phone_unreadable'),
    town: content.towns.byId(v.townId)?.name ?? v.townId,
    community: escapeHtml(v.community),
    skills: namesOr(content, content.skills.skills, v.skills),
    availability: namesOr(content, content.skills.availability, v.availability),
    status: paused ? ctx.t('volunteer.status_paused', { date: v.pausedUntil ?? '' }) : ctx.t('volunteer.status_active'),
  });
}

async function showProfile(ctx: BotContext): Promise<void> {
  const v = ctx.from ? await vol(ctx).volunteers.byUserId(ctx.from.id, true) : undefined;
  if (!v) return void (await ctx.reply(ctx.t('volunteer.not_registered')));
  const edit = (f: ProfileField) => flowButton(ctx.t(`volunteer.buttons.edit_${f}`), 'edit', f);
  const paused = v.status === 'paused' && (v.pausedUntil ?? '') > localParts(ctx.deps.now()).date;
  await prompt(ctx, profileHtml(ctx, v), [
    [edit('name'), edit('phone')], [edit('town'), edit('community')], [edit('skills'), edit('availability')],
    [paused ? flowButton(ctx.t('volunteer.buttons.resume'), 'resume') : flowButton(ctx.t('volunteer.buttons.pause'), 'pause')],
  ]);
}

async function myHours(ctx: BotContext): Promise<void> {
  if (!ctx.from) return;
  const year = localParts(ctx.deps.now()).year;
  const iso = (y: number): string => new Date(fromLocal(y, 1, 1) ?? 0).toISOString();
  const s = await yearSummary(vol(ctx), ctx.from.id, iso(year), iso(year + 1));
  if (!s) return void (await ctx.reply(ctx.t('volunteer.not_registered')));
  if (!s.count) return void (await ctx.reply(ctx.t('volunteer.myhours_none')));
  const items = s.items.map((i) => ctx.t('volunteer.myhours_item', { date: formatLocal(i.startsAt).split('（')[0] ?? '', title: escapeHtml(i.title), hours: hours(i.minutes) }));
  await ctx.reply([ctx.t('volunteer.myhours', { year, count: s.count, hours: hours(s.minutes) }), ...items].join('\n'), { parse_mode: 'HTML' });
}

/** /me (view, edit any field, pause until a day, resume) and /myhours. Private chat only. */
export function volunteerProfileFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const privately = (fn: (ctx: BotContext) => Promise<void>) => async (ctx: BotContext) =>
    isPrivate(ctx) ? fn(ctx) : void (await ctx.reply(ctx.t('volunteer.private_only')));
  c.command('me', privately(showProfile));
  c.command('myhours', privately(myHours));
  c.on('message', (ctx, next) => feedWizard(ctx, ctx.message, current(ctx), next));
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'vol-flow' || !isPrivate(ctx) || !ctx.from) return next();
    const w = current(ctx);
    if (w && !['edit', 'resume'].includes(cb.action) && !(cb.action === 'pause' && cb.arg === undefined)) {
      return answeringOnce(ctx, () => driveWizard(ctx, w, { action: cb.action, arg: cb.arg }));
    }
    if (!['edit', 'pause', 'resume'].includes(cb.action) || (cb.action === 'pause' && cb.arg !== undefined)) return next();
    await answeringOnce(ctx, async () => {
      const v = await vol(ctx).volunteers.byUserId(ctx.from.id);
      if (!v) return expired(ctx);
      if (cb.action === 'resume') {
        await vol(ctx).volunteers.resume(ctx.from.id, new Date(ctx.deps.now()).toISOString());
        return ctx.reply(ctx.t('volunteer.resumed'));
      }
      if (cb.action === 'pause') return startWizard<EditData>(ctx, pauseWizard, { skills: [], availability: [] });
      const field = PROFILE_FIELDS.find((f) => f === cb.arg);
      if (!field) return expired(ctx);
      return startWizard<EditData>(ctx, editWizards[field], { skills: [...v.skills], availability: [...v.availability] });
    });
  });
  return c;
}
