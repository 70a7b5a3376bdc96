import type { Content } from '../../core/content/load-content.ts';
import type { ChoiceList } from '../../core/content/skills.ts';
import type { BotContext } from '../context.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import { flowButton, navRow, type StepInput } from './wizard.ts';

type Button = ReturnType<typeof flowButton>;

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size));

/** The 22 towns and streets as buttons, three to a row, with the step's navigation row. */
export function townRows(ctx: BotContext, stepId: string, back: boolean): Button[][] {
  const towns = ctx.deps.content.towns.all.map((t) => flowButton(t.name, 'town', t.id));
  return [...chunk(towns, 3), navRow(ctx, stepId, back)];
}

/**
 * A town from a button or typed text (full name, short name or id). Anything else is answered with the
 * list again; what was typed is echoed escaped and clipped, so a 5,000-character paste stays short.
 */
export async function pickTown(ctx: BotContext, input: StepInput, stepId: string, back: boolean): Promise<string | undefined> {
  const towns = ctx.deps.content.towns;
  if (input.action === 'town' && input.arg) return towns.byId(input.arg)?.id;
  const text = input.text?.trim();
  const found = text ? towns.find(text) : undefined;
  if (found) return found.id;
  const shown = text ? escapeHtml([...text].slice(0, 20).join('') + ([...text].length > 20 ? '…' : '')) : '';
  const html = text ? ctx.t('volunteer.invalid.town', { text: shown }) : ctx.t('volunteer.invalid.not_text');
  await ctx.reply(html, { parse_mode: 'HTML', reply_markup: { inline_keyboard: townRows(ctx, stepId, back) } });
  return undefined;
}

/** Multi-select buttons: ✓ marks what is chosen; `extra` adds e.g. "不限技能" before 完成. */
export function toggleRows(ctx: BotContext, list: ChoiceList, selected: readonly string[], action: 'skill' | 'avail', stepId: string, back: boolean): Button[][] {
  const buttons = list.all.map((c) => flowButton(`${selected.includes(c.id) ? '✓ ' : ''}${c.name}`, action, c.id));
  return [...chunk(buttons, 2), [flowButton(ctx.t('volunteer.buttons.done'), 'done', stepId)], navRow(ctx, stepId, back)];
}

/** Flips one choice; returns the new selection, or undefined for an id not in the list (forged). */
export function toggle(list: ChoiceList, selected: readonly string[], id: string | undefined): string[] | undefined {
  if (!id || !list.byId(id)) return undefined;
  return selected.includes(id) ? selected.filter((s) => s !== id) : list.all.map((c) => c.id).filter((c) => c === id || selected.includes(c));
}

export const namesOr = (content: Content, list: ChoiceList, ids: readonly string[]): string =>
  list.names(ids).join('、') || content.strings.t('volunteer.none');
