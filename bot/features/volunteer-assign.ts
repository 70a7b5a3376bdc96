import { randomBytes } from 'node:crypto';
import { Composer } from 'telegraf';
import { checkFreeText, checkNeeded, LIMITS, type Checked } from '../../core/volunteers/input.ts';
import { formatRange, parseLocalDateTime } from '../../core/volunteers/local-time.ts';
import { createAssignment } from '../../core/volunteers/staffing.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback } from '../../core/callback-data.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import { enqueue, isPrivate, isStaff, vol } from '../volunteer/deps.ts';
import { namesOr, pickTown, toggle, toggleRows, townRows } from '../volunteer/pickers.ts';
import { activeFlow, answeringOnce, driveWizard, feedWizard, expired, flowButton, navRow, prompt, startWizard, updateButtons, type Step, type StepOutcome, type Wizard } from '../volunteer/wizard.ts';

interface AssignData {
  key: string;
  title?: string;
  description?: string;
  townId?: string;
  place?: string;
  startsAt?: number;
  endsAt?: number;
  skills: string[];
  needed?: number;
}

const MAX_LENGTH_MS = 24 * 3_600_000;

async function invalid(ctx: BotContext, reason: string, max?: number): Promise<StepOutcome> {
  if (ctx.callbackQuery) await expired(ctx);
  else await ctx.reply(ctx.t(`volunteer.invalid.${reason}`, max ? { max } : {}));
  return 'stay';
}

/** A step answered by typed text, checked by `parse` (which stores the value or names the problem). */
function typed(id: string, parse: (ctx: BotContext, text: string, d: AssignData) => Checked<unknown>, back = true): Step<AssignData> {
  return {
    id,
    prompt: (ctx) => prompt(ctx, ctx.t(`volunteer.assign.${id}`), [navRow(ctx, id, back)]),
    async handle(ctx, input, d) {
      if (input.text === undefined || input.photo || input.action) return invalid(ctx, 'not_text');
      const c = parse(ctx, input.text, d);
      return c.ok ? 'next' : invalid(ctx, c.reason, c.max);
    },
  };
}

const text = (field: 'title' | 'description' | 'place', max: number) => (_: BotContext, s: string, d: AssignData): Checked<unknown> => {
  const c = checkFreeText(s, max);
  if (c.ok) d[field] = c.value;
  return c;
};

const steps: Step<AssignData>[] = [
  typed('title', text('title', LIMITS.title), false),
  typed('description', text('description', LIMITS.description)),
  {
    id: 'town',
    prompt: (ctx) => prompt(ctx, ctx.t('volunteer.assign.town'), townRows(ctx, 'town', true)),
    async handle(ctx, input, d) {
      if (input.action && input.action !== 'town') return invalid(ctx, 'not_text');
      const id = await pickTown(ctx, input, 'town', true);
      if (!id) return ctx.callbackQuery ? invalid(ctx, 'not_text') : 'stay';
      d.townId = id;
      return 'next';
    },
  },
  typed('place', text('place', LIMITS.place)),
  typed('start', (ctx, s, d) => {
    const now = ctx.deps.now();
    const t = parseLocalDateTime(s, now);
    if (t === undefined) return { ok: false, reason: 'time' };
    if (t <= now) return { ok: false, reason: 'time_past' };
    d.startsAt = t;
    return { ok: true, value: t };
  }),
  typed('end', (ctx, s, d) => {
    const t = parseLocalDateTime(s, ctx.deps.now(), d.startsAt);
    if (t === undefined || d.startsAt === undefined) return { ok: false, reason: 'time' };
    if (t <= d.startsAt) return { ok: false, reason: 'time_order' };
    if (t - d.startsAt > MAX_LENGTH_MS) return { ok: false, reason: 'time_long' };
    d.endsAt = t;
    return { ok: true, value: t };
  }),
  {
    id: 'skills',
    prompt: (ctx, d) => prompt(ctx, ctx.t('volunteer.assign.skills'), toggleRows(ctx, ctx.deps.content.skills.skills, d.skills, 'skill', 'skills', true)),
    async handle(ctx, input, d) {
      if (input.action === 'done' && input.arg === 'skills') return 'next';
      if (input.action !== 'skill') return invalid(ctx, 'pick_one');
      const next = toggle(ctx.deps.content.skills.skills, d.skills, input.arg);
      if (!next) return invalid(ctx, 'not_text');
      d.skills = next;
      await updateButtons(ctx, toggleRows(ctx, ctx.deps.content.skills.skills, next, 'skill', 'skills', true));
      return 'stay';
    },
  },
  typed('needed', (_, s, d) => {
    const c = checkNeeded(s);
    if (c.ok) d.needed = c.value;
    return c;
  }),
  {
    id: 'confirm',
    prompt: (ctx, d) => prompt(ctx, summary(ctx, d), [[flowButton(ctx.t('volunteer.buttons.save'), 'save', 'confirm')], navRow(ctx, 'confirm')]),
    async handle(ctx, input) {
      if (input.action === 'save' && input.arg === 'confirm') return 'next';
      await ctx.reply(ctx.t('volunteer.assign_confirm_hint'));
      return 'stay';
    },
  },
];

function summary(ctx: BotContext, d: AssignData): string {
  const { content } = ctx.deps;
  return ctx.t('volunteer.assign.summary', {
    title: escapeHtml(d.title ?? ''), description: escapeHtml(d.description ?? ''),
    town: content.towns.byId(d.townId ?? '')?.name ?? '', place: escapeHtml(d.place ?? ''),
    time: d.startsAt !== undefined && d.endsAt !== undefined ? formatRange(d.startsAt, d.endsAt) : '',
    skills: namesOr(content, content.skills.skills, d.skills), needed: d.needed ?? 0,
  });
}

/**
 * /assign: a staff member describes an assignment step by step; on 确认 it is stored, matched and the
 * first invitations are queued. The staff list is checked at the start and again at the end.
 */
export const assignWizard: Wizard<AssignData> = {
  name: 'vol-assign',
  steps,
  async finish(ctx, d) {
    if (!isStaff(ctx) || !ctx.from) return void (await ctx.reply(ctx.t('volunteer.staff_only')));
    const { title, description, townId, place, startsAt, endsAt, needed } = d;
    if (!title || !description || !townId || !place || startsAt === undefined || endsAt === undefined || !needed) return;
    const input = { title, description, townId, place, startsAt, endsAt, skills: d.skills, needed };
    const r = await createAssignment(vol(ctx), input, ctx.from.id, `${ctx.from.id}:${d.key}`);
    await enqueue(ctx, r.jobs);
    ctx.log.info({ assignment: r.assignment.id, created: r.created, invited: r.invited, town: townId }, 'assignment created');
    const key = r.created && r.invited === 0 ? 'volunteer.assign.created_none' : 'volunteer.assign.created';
    await ctx.reply(ctx.t(key, { id: r.assignment.id, invited: r.invited }));
  },
};

async function begin(ctx: BotContext): Promise<void> {
  if (!isStaff(ctx)) {
    ctx.log.warn('non-staff /assign refused');
    return void (await ctx.reply(ctx.t('volunteer.staff_only')));
  }
  if (!isPrivate(ctx)) return void (await ctx.reply(ctx.t('volunteer.private_only')));
  await startWizard<AssignData>(ctx, assignWizard, { key: randomBytes(8).toString('hex'), skills: [] });
}

export function volunteerAssignFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('assign', begin);
  c.on('message', (ctx, next) => feedWizard(ctx, ctx.message, activeFlow(ctx, assignWizard) && assignWizard, next));
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'vol-flow' || !activeFlow(ctx, assignWizard)) return next();
    // A flow left over from when this person was on the staff list does not outlive their removal.
    if (!isStaff(ctx)) return void (await ctx.answerCbQuery(ctx.t('bot.expired')));
    await answeringOnce(ctx, () => driveWizard(ctx, assignWizard, { action: cb.action, arg: cb.arg }));
  });
  return c;
}
