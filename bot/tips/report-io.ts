import type { BotContext } from '../context.ts';
import type { FlowStep } from '../../core/tips/tip-callbacks.ts';
import type { ReportData } from './report-state.ts';
import { renderStep } from './report-steps.ts';
import { replyHtml } from '../reply.ts';

/** Sends a step as a new message (after the reporter typed or sent something). */
export async function sendStep(ctx: BotContext, step: FlowStep, d: ReportData): Promise<void> {
  const { html, keyboard } = renderStep(ctx, step, d);
  await replyHtml(ctx, html, keyboard);
}

/**
 * Turns the message whose button was pressed into the next step, so the chat does not fill up with
 * old keyboards. If the message cannot be edited (too old, deleted), the step is sent anew.
 */
export async function editStep(ctx: BotContext, step: FlowStep, d: ReportData): Promise<void> {
  const { html, keyboard } = renderStep(ctx, step, d);
  try {
    await ctx.editMessageText(html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...keyboard });
  } catch (err) {
    if (/not modified/.test((err as Error).message)) return;
    await replyHtml(ctx, html, keyboard);
  }
}

/** Replaces the pressed message's text and drops its keyboard (cancelled, submitted). */
export async function closeMessage(ctx: BotContext, html: string): Promise<void> {
  try {
    await ctx.editMessageText(html, { parse_mode: 'HTML' });
  } catch {
    await replyHtml(ctx, html);
  }
}
