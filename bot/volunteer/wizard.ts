import { Markup } from 'telegraf';
import type { Message } from 'telegraf/types';
import type { BotContext } from '../context.ts';
import { encodeCallback, type VolFlowAction } from '../../core/callback-data.ts';
import { mainMenu } from '../keyboards.ts';
import { isPrivate } from './deps.ts';

/**
 * A small step-by-step conversation engine for the volunteer flows (sign-up, profile edits, /assign).
 * The current step lives in the session (`flow`), so a restart mid-conversation resumes where the
 * person was. Every step has a way back and a way out: inline « 上一步 / ✖ 取消 buttons, or typing
 * 取消 (/cancel). Buttons carry their step id, so a button from an earlier step is "expired".
 */
export interface StepInput {
  readonly text?: string;
  readonly contact?: { readonly user_id?: number; readonly phone_number: string };
  readonly photo?: string;
  readonly action?: VolFlowAction;
  readonly arg?: string;
  /** Message id of the pressed button's message (to update a multi-select in place). */
  readonly messageId?: number;
}

/** next: go on (or finish after the last step); stay: the step already told the person what to fix. */
export type StepOutcome = 'next' | 'stay';

export interface Step<D> {
  readonly id: string;
  prompt(ctx: BotContext, data: D): Promise<void>;
  handle(ctx: BotContext, input: StepInput, data: D): Promise<StepOutcome>;
}

export interface Wizard<D> {
  readonly name: string;
  readonly steps: readonly Step<D>[];
  /** Runs after the last step; the flow is already cleared from the session. */
  finish(ctx: BotContext, data: D): Promise<void>;
}

export function activeFlow<D>(ctx: BotContext, wizard: Wizard<D>): { step: string; data: D } | undefined {
  const f = ctx.session?.flow;
  return f && f.name === wizard.name ? { step: f.step, data: f.data as D } : undefined;
}

export async function startWizard<D extends object>(ctx: BotContext, wizard: Wizard<D>, data: D, at = 0): Promise<void> {
  const step = wizard.steps[at];
  if (!step) return;
  ctx.session.flow = { name: wizard.name, step: step.id, data: data as Record<string, unknown> };
  await step.prompt(ctx, data);
}

const CANCEL_WORDS = new Set(['取消', '/cancel', '退出']);

export async function driveWizard<D extends object>(ctx: BotContext, wizard: Wizard<D>, input: StepInput): Promise<void> {
  const flow = activeFlow(ctx, wizard);
  const index = wizard.steps.findIndex((s) => s.id === flow?.step);
  const step = wizard.steps[index];
  if (!flow || !step) return;
  const text = input.text?.trim();
  if (input.action === 'x' || (text !== undefined && (CANCEL_WORDS.has(text) || text === ctx.t('volunteer.buttons.cancel')))) {
    ctx.session.flow = undefined;
    await ctx.reply(ctx.t('volunteer.cancelled'), mainMenu(ctx.deps.content.strings));
    return;
  }
  if ((input.action === 'back' && input.arg === step.id) || text === ctx.t('volunteer.buttons.back')) {
    const prev = wizard.steps[index - 1];
    if (!prev) return;
    ctx.session.flow = { name: wizard.name, step: prev.id, data: flow.data as Record<string, unknown> };
    await prev.prompt(ctx, flow.data);
    return;
  }
  if (input.action === 'back') return expired(ctx);
  if ((await step.handle(ctx, input, flow.data)) !== 'next') {
    ctx.session.flow = { name: wizard.name, step: step.id, data: flow.data as Record<string, unknown> };
    return;
  }
  const next = wizard.steps[index + 1];
  if (next) {
    ctx.session.flow = { name: wizard.name, step: next.id, data: flow.data as Record<string, unknown> };
    await next.prompt(ctx, flow.data);
  } else {
    ctx.session.flow = undefined;
    await wizard.finish(ctx, flow.data);
  }
}

/**
 * A message in a private chat goes to the step of the wizard in progress, if there is one. Commands
 * pass on to their own features, except /cancel, which every wizard understands.
 */
export async function feedWizard<D extends object>(ctx: BotContext, message: Message, wizard: Wizard<D> | undefined, next: () => Promise<void>): Promise<void> {
  if (!wizard || !isPrivate(ctx)) return next();
  const input = inputOf(message);
  if (input.text?.startsWith('/') && input.text !== '/cancel') return next();
  await driveWizard(ctx, wizard, input);
}

/** What a message contributes to a step; stickers, voice and the like contribute nothing. */
export function inputOf(message: Message): StepInput {
  if ('text' in message) return { text: message.text };
  if ('contact' in message) return { contact: message.contact };
  if ('photo' in message) return { photo: message.photo.at(-1)?.file_id, ...(message.caption ? { text: message.caption } : {}) };
  return {};
}

export async function expired(ctx: BotContext): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.t('bot.expired'));
}

type Button = ReturnType<typeof Markup.button.callback>;
export const flowButton = (text: string, action: VolFlowAction, arg?: string): Button =>
  Markup.button.callback(text, encodeCallback(arg === undefined ? { kind: 'vol-flow', action } : { kind: 'vol-flow', action, arg }));

/** The « 上一步 / ✖ 取消 row under every step's prompt. */
export function navRow(ctx: BotContext, stepId: string, back = true): Button[] {
  return [...(back ? [flowButton(ctx.t('volunteer.buttons.back'), 'back', stepId)] : []), flowButton(ctx.t('volunteer.buttons.cancel'), 'x')];
}

export async function prompt(ctx: BotContext, html: string, rows: Button[][]): Promise<void> {
  await ctx.reply(html, { parse_mode: 'HTML', ...Markup.inlineKeyboard(rows) });
}

/** Updates a multi-select's buttons in place; a double tap producing the same markup is not an error. */
export async function updateButtons(ctx: BotContext, rows: Button[][]): Promise<void> {
  try {
    await ctx.editMessageReplyMarkup(Markup.inlineKeyboard(rows).reply_markup);
  } catch (err) {
    if (!String((err as Error).message).includes('message is not modified')) throw err;
  }
}

/**
 * Runs a callback handler and makes sure the query is answered exactly once: Telegram shows a spinner
 * until it is, and rejects a second answer. Handlers that want a toast answer it themselves.
 */
export async function answeringOnce(ctx: BotContext, handler: () => Promise<unknown>): Promise<void> {
  let answered = false;
  const original = ctx.answerCbQuery.bind(ctx);
  ctx.answerCbQuery = ((...args: Parameters<typeof original>) => {
    if (answered) return Promise.resolve(true);
    answered = true;
    return original(...args);
  }) as typeof ctx.answerCbQuery;
  await handler();
  if (!answered) await ctx.answerCbQuery();
}
