import { Markup } from 'telegraf';
import { checkFreeText, checkName, LIMITS, normalizeMobile, type Checked } from '../../core/volunteers/input.ts';
import { cipherFor } from '../../core/volunteers/repos.ts';
import type { BotContext } from '../context.ts';
import { mainMenu } from '../keyboards.ts';
import { pickTown, toggle, toggleRows, townRows } from './pickers.ts';
import { expired, navRow, prompt, updateButtons, type Step, type StepOutcome } from './wizard.ts';

/** What sign-up and profile edits collect. The phone is kept encrypted even in the session. */
export interface ProfileData {
  name?: string;
  phoneEnc?: string;
  townId?: string;
  community?: string;
  skills: string[];
  availability: string[];
}

export type ProfileField = 'name' | 'phone' | 'town' | 'community' | 'skills' | 'availability';
export const PROFILE_FIELDS: readonly ProfileField[] = ['name', 'phone', 'town', 'community', 'skills', 'availability'];

const sessionContext = (ctx: BotContext): string => `session.phone:${ctx.from?.id ?? 0}`;

/** Session copies of the phone use the same DATA_KEY cipher, bound to this user. */
export function sessionPhone(ctx: BotContext, data: ProfileData): string | undefined {
  const cipher = cipherFor(ctx.deps.config.dataKey);
  return data.phoneEnc && cipher ? cipher.decrypt(data.phoneEnc, sessionContext(ctx)) : undefined;
}

async function reject(ctx: BotContext, c: Checked<unknown> & { ok: false }): Promise<StepOutcome> {
  await ctx.reply(ctx.t(`volunteer.invalid.${c.reason}`, c.max ? { max: c.max } : {}));
  return 'stay';
}

async function notText(ctx: BotContext): Promise<StepOutcome> {
  if (ctx.callbackQuery) await expired(ctx);
  else await ctx.reply(ctx.t('volunteer.invalid.not_text'));
  return 'stay';
}

/**
 * The six profile steps. `numbered` (sign-up) prefixes "第 n 步（共 6 步）" and offers 上一步;
 * a profile edit asks one step alone with only 取消.
 */
export function profileSteps(numbered: boolean): Record<ProfileField, Step<ProfileData>> {
  const head = (ctx: BotContext, field: ProfileField): string =>
    (numbered ? ctx.t('volunteer.step', { n: PROFILE_FIELDS.indexOf(field) + 1 }) : '') + ctx.t(`volunteer.ask.${field}`);
  const textStep = (id: 'name' | 'community', check: (s: string) => Checked<string>): Step<ProfileData> => ({
    id,
    prompt: (ctx) => prompt(ctx, head(ctx, id), [navRow(ctx, id, numbered)]),
    async handle(ctx, input, data) {
      if (input.text === undefined || input.photo) return notText(ctx);
      const c = check(input.text);
      if (!c.ok) return reject(ctx, c);
      data[id] = c.value;
      return 'next';
    },
  });
  const multi = (id: 'skills' | 'availability', action: 'skill' | 'avail'): Step<ProfileData> => ({
    id,
    prompt: (ctx, data) => prompt(ctx, head(ctx, id), toggleRows(ctx, list(ctx, id), data[id], action, id, numbered)),
    async handle(ctx, input, data) {
      if (input.action === action) {
        const next = toggle(list(ctx, id), data[id], input.arg);
        if (!next) return notText(ctx);
        data[id] = next;
        await ctx.answerCbQuery();
        await updateButtons(ctx, toggleRows(ctx, list(ctx, id), next, action, id, numbered));
        return 'stay';
      }
      if (input.action === 'done' && input.arg === id) {
        if (data[id].length) return 'next';
        await ctx.answerCbQuery(ctx.t('volunteer.invalid.pick_one'));
        return 'stay';
      }
      if (input.action) return notText(ctx);
      await ctx.reply(ctx.t('volunteer.invalid.pick_one'));
      return 'stay';
    },
  });
  const list = (ctx: BotContext, id: 'skills' | 'availability') => ctx.deps.content.skills[id === 'skills' ? 'skills' : 'availability'];

  return {
    name: textStep('name', checkName),
    community: textStep('community', (s) => checkFreeText(s, LIMITS.community)),
    skills: multi('skills', 'skill'),
    availability: multi('availability', 'avail'),
    town: {
      id: 'town',
      prompt: (ctx) => prompt(ctx, head(ctx, 'town'), townRows(ctx, 'town', numbered)),
      async handle(ctx, input, data) {
        if (input.action && input.action !== 'town') return notText(ctx);
        const id = await pickTown(ctx, input, 'town', numbered);
        if (!id) return ctx.callbackQuery ? notText(ctx) : 'stay';
        if (ctx.callbackQuery) await ctx.answerCbQuery();
        data.townId = id;
        return 'next';
      },
    },
    phone: {
      id: 'phone',
      async prompt(ctx) {
        // The contact button needs a reply keyboard, which cannot share a message with inline buttons:
        // back and cancel ride on it as plain text buttons the wizard understands.
        const rows = [[Markup.button.contactRequest(ctx.t('volunteer.buttons.share_phone'))], [...(numbered ? [ctx.t('volunteer.buttons.back')] : []), ctx.t('volunteer.buttons.cancel')]];
        await ctx.reply(head(ctx, 'phone'), { parse_mode: 'HTML', ...Markup.keyboard(rows).resize().oneTime() });
      },
      async handle(ctx, input, data) {
        if (input.contact) {
          // Only the sender's own contact card: a forwarded card of someone else has another (or no) user_id.
          if (input.contact.user_id !== ctx.from?.id) {
            await ctx.reply(ctx.t('volunteer.invalid.contact_not_own'));
            return 'stay';
          }
        } else if (input.text === undefined || input.photo) return notText(ctx);
        const phone = normalizeMobile(input.contact?.phone_number ?? input.text ?? '');
        const cipher = cipherFor(ctx.deps.config.dataKey);
        if (!phone) {
          await ctx.reply(ctx.t('volunteer.invalid.phone'));
          return 'stay';
        }
        if (!cipher) {
          await ctx.reply(ctx.t('volunteer.closed'), mainMenu(ctx.deps.content.strings));
          return 'stay';
        }
        data.phoneEnc = cipher.encrypt(phone, sessionContext(ctx));
        await ctx.reply(ctx.t('volunteer.phone_received', { phone }), mainMenu(ctx.deps.content.strings));
        return 'next';
      },
    },
  };
}
