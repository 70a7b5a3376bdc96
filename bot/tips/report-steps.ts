import { Markup } from 'telegraf';
import type { InlineKeyboardButton } from 'telegraf/types';
import { OTHER } from '../../core/content/negative-list.ts';
import { TIP_LIMITS } from '../../core/tips/tip-model.ts';
import type { BotContext } from '../context.ts';
import { encodeCallback } from '../../core/callback-data.ts';
import { shorten } from '../keyboards.ts';
import type { FlowStep } from '../../core/tips/tip-callbacks.ts';
import { sessionContext, type ReportData } from './report-state.ts';
import { areaLabel, esc, maskedPhone, practiceLabel, townLabel } from '../../core/tips/tip-text.ts';

export const PRACTICES_PER_PAGE = 6;

/** The step that comes before `step` in the flow ("返回"), given what was chosen. */
export function previousStep(step: FlowStep, d: ReportData): FlowStep | undefined {
  const order: Record<FlowStep, FlowStep | undefined> = {
    area: undefined, prac: 'area', desc: d.area === OTHER ? 'area' : 'prac', town: 'desc', addr: 'town',
    photo: 'addr', ident: 'photo', name: 'ident', phone: 'name', conf: d.realName ? 'phone' : 'ident',
  };
  return order[step];
}

/** One step's message: Telegram HTML and its inline keyboard (every button carries the draft and step). */
export function renderStep(ctx: BotContext, step: FlowStep, d: ReportData): { html: string; keyboard: ReturnType<typeof Markup.inlineKeyboard> } {
  const { content } = ctx.deps;
  const t = ctx.t.bind(ctx);
  const b = (text: string, value: string): InlineKeyboardButton => Markup.button.callback(text, encodeCallback({ kind: 'tip-flow', draft: d.draft, step, value }));
  const nav: InlineKeyboardButton[] = [...(previousStep(step, d) ? [b(t('tips.back'), '!back')] : []), b(t('tips.cancel'), '!cancel')];
  const rows: InlineKeyboardButton[][] = [];
  let html = '';
  switch (step) {
    case 'area': {
      html = t('tips.step_area');
      const areas = content.negativeList.areas.map((a) => b(`${a.icon} ${a.name}`, a.id));
      for (let i = 0; i < areas.length; i += 2) rows.push(areas.slice(i, i + 2));
      rows.push([b(t('tips.area_other'), OTHER)]);
      break;
    }
    case 'prac': {
      const area = content.negativeList.area(d.area ?? '');
      const all = area?.practices ?? [];
      const pages = Math.max(1, Math.ceil(all.length / PRACTICES_PER_PAGE));
      const page = Math.min(Math.max(0, d.page ?? 0), pages - 1);
      const shown = all.slice(page * PRACTICES_PER_PAGE, (page + 1) * PRACTICES_PER_PAGE);
      const list = shown.map((p, i) => `${page * PRACTICES_PER_PAGE + i + 1}. ${esc(p.name)}`).join('\n');
      html = t('tips.step_practice', { area: areaLabel(content, d.area ?? OTHER), page: page + 1, pages, list });
      for (const [i, p] of shown.entries()) rows.push([b(shorten(`${page * PRACTICES_PER_PAGE + i + 1}. ${p.name}`, 30), p.id)]);
      const paging = [...(page > 0 ? [b(t('tips.prev_page'), `!p${page - 1}`)] : []), ...(page < pages - 1 ? [b(t('tips.next_page'), `!p${page + 1}`)] : [])];
      if (paging.length) rows.push(paging);
      rows.push([b(t('tips.practice_other'), OTHER)]);
      break;
    }
    case 'desc': {
      const example = d.practice && d.practice !== OTHER ? content.negativeList.practice(d.practice)?.examples[0] : undefined;
      html = t('tips.step_describe', { min: TIP_LIMITS.descriptionMin, max: TIP_LIMITS.descriptionMax, practice: practiceLabel(content, d.practice) });
      if (example) html += `\n${t('tips.describe_example', { example: esc(example) })}`;
      break;
    }
    case 'town': {
      html = t('tips.step_town');
      const towns = content.towns.all.map((x) => b(x.name, x.id));
      for (let i = 0; i < towns.length; i += 3) rows.push(towns.slice(i, i + 3));
      rows.push([b(t('tips.town_unknown'), OTHER)]);
      break;
    }
    case 'addr':
      html = t('tips.step_address', { max: TIP_LIMITS.addressMax });
      rows.push([b(t('tips.skip'), '!skip')]);
      break;
    case 'photo':
      html = t('tips.step_photos', { max: TIP_LIMITS.photosMax });
      rows.push([b(d.photos.length ? t('tips.done') : t('tips.skip'), d.photos.length ? '!done' : '!skip')]);
      break;
    case 'ident':
      html = t('tips.step_identity');
      rows.push([b(t('tips.anonymous'), '!anon'), b(t('tips.real_name'), '!real')]);
      break;
    case 'name':
      html = t('tips.step_name', { max: TIP_LIMITS.nameMax });
      break;
    case 'phone':
      html = t('tips.step_phone');
      break;
    case 'conf':
      html = summary(ctx, d);
      rows.push([b(t('tips.submit'), '!submit')]);
      break;
  }
  rows.push(nav);
  return { html, keyboard: Markup.inlineKeyboard(rows) };
}

function summary(ctx: BotContext, d: ReportData): string {
  const { content, tips } = ctx.deps;
  const chatId = ctx.chat?.id ?? 0;
  const notGiven = ctx.t('tips.not_given');
  const address = [d.address ? esc(d.address) : '', d.latitude !== undefined ? ctx.t('tips.location_given') : ''].filter(Boolean).join('；') || notGiven;
  let identity = ctx.t('tips.identity_anonymous');
  if (d.realName && d.nameEnc && d.phoneEnc && tips.cipher) {
    const name = tips.cipher.decrypt(d.nameEnc, sessionContext(chatId)) ?? '';
    const phone = tips.cipher.decrypt(d.phoneEnc, sessionContext(chatId)) ?? '';
    identity = ctx.t('tips.identity_real', { name: esc(name), phone: maskedPhone(phone) });
  }
  return ctx.t('tips.step_confirm', {
    area: areaLabel(content, d.area ?? OTHER), practice: practiceLabel(content, d.practice), town: townLabel(content, d.town),
    address, photos: d.photos.length, identity, description: esc(d.description ?? ''),
  });
}
