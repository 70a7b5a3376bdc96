import crypto from 'node:crypto';
import type { BotContext } from '../context.ts';
import type { FlowStep } from '../../core/tips/tip-callbacks.ts';

export const FLOW_NAME = 'tip';

/**
 * The report draft kept in the session between steps. Plain JSON, so it works with every session
 * store; real-name details are kept only encrypted (nameEnc/phoneEnc), never in clear.
 */
export interface ReportData {
  draft: string;
  area?: string;
  practice?: string;
  page?: number;
  description?: string;
  town?: string;
  address?: string;
  latitude?: number;
  longitude?: number;
  photos: string[];
  realName?: boolean;
  nameEnc?: string;
  phoneEnc?: string;
}

export function currentReport(ctx: BotContext): { step: FlowStep; data: ReportData } | undefined {
  const flow = ctx.session?.flow;
  if (flow?.name !== FLOW_NAME) return undefined;
  return { step: flow.step as FlowStep, data: flow.data as unknown as ReportData };
}

export function startReport(ctx: BotContext): ReportData {
  const data: ReportData = { draft: crypto.randomBytes(8).toString('base64url').slice(0, 10), photos: [] };
  ctx.session.flow = { name: FLOW_NAME, step: 'area', data: data as unknown as Record<string, unknown> };
  return data;
}

export function setStep(ctx: BotContext, step: FlowStep): void {
  if (ctx.session.flow?.name === FLOW_NAME) ctx.session.flow.step = step;
}

export function endReport(ctx: BotContext): void {
  if (ctx.session.flow?.name === FLOW_NAME) delete ctx.session.flow;
}

/** The context real-name fields are bound to while in the session (the stored tip uses its own). */
export const sessionContext = (chatId: number): string => `tip.session:${chatId}`;
