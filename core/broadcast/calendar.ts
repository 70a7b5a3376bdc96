import type { BroadcastCalendar, DateRule, Theme } from './broadcast-content.ts';
import { dayNumber, lastMondayOfMarch, monthDay, monthOf, yearOf } from './dates.ts';

/** The theme a script is built around. `general` is the fallback for days no calendar theme covers. */
export interface ThemeRef {
  readonly id: string;
  readonly name: string;
  readonly intro: readonly string[];
  readonly topics: readonly string[];
  readonly tags: readonly string[];
  readonly mayRepeat: boolean;
  readonly priority: number;
}

/** What the calendar says about one day. */
export interface DayPlan {
  readonly date: string;
  /** The theme the script introduces. */
  readonly theme: ThemeRef;
  /** Other themes of the day, in priority order: their entries fill the script after the main theme's. */
  readonly others: readonly ThemeRef[];
  /** True on a special day whose theme may reuse an entry broadcast in the last 14 days. */
  readonly mayRepeat: boolean;
}

/** Whether a yearly rule covers the date. Table rules cover each listed day widened by before/after. */
export function ruleCovers(rule: DateRule, date: string, calendar: BroadcastCalendar): boolean {
  if ('rule' in rule) return date === lastMondayOfMarch(yearOf(date));
  if ('date' in rule) return monthDay(date) === rule.date;
  if ('months' in rule) return rule.months.includes(monthOf(date));
  if ('from' in rule) {
    const md = monthDay(date);
    // A range such as 12-01 … 02-29 wraps past the new year.
    return rule.from <= rule.to ? md >= rule.from && md <= rule.to : md >= rule.from || md <= rule.to;
  }
  const day = dayNumber(date);
  return (calendar.dateTables[rule.table] ?? []).some((d) => {
    const n = dayNumber(d);
    return day >= n - rule.before && day <= n + rule.after;
  });
}

/**
 * Every calendar theme covering the date, highest priority first (ties in calendar order).
 * Moving days (清明, 春节) come from the listed date tables; the last Monday of March is computed.
 */
export function themesFor(date: string, calendar: BroadcastCalendar): Theme[] {
  return calendar.themes
    .map((theme, order) => ({ theme, order }))
    .filter(({ theme }) => ruleCovers(theme.when, date, calendar))
    .sort((a, b) => b.theme.priority - a.theme.priority || a.order - b.order)
    .map(({ theme }) => theme);
}

/**
 * The day's plan. Among several themes sharing the top priority (July has flood season, drowning
 * prevention and heat), the lead rotates by day number so each gets its turn instead of one theme
 * owning the whole season.
 */
export function planDay(date: string, calendar: BroadcastCalendar): DayPlan {
  const themes = themesFor(date, calendar);
  const top = themes.filter((t) => t.priority === themes[0]?.priority);
  const lead = top.length ? top[dayNumber(date) % top.length] : undefined;
  if (!lead) {
    const g = calendar.general;
    const general: ThemeRef = { id: 'general', name: g.name, intro: g.intro, topics: [], tags: [], mayRepeat: false, priority: 0 };
    return { date, theme: general, others: [], mayRepeat: false };
  }
  // The other top themes come first among the others, in rotation order, so preferFreshLead tries them next.
  const rotated = [...top.slice(top.indexOf(lead) + 1), ...top.slice(0, top.indexOf(lead))];
  const others = [...rotated, ...themes.filter((t) => !top.includes(t))];
  return { date, theme: lead, others, mayRepeat: lead.mayRepeat };
}

/**
 * When the rotation's lead has nothing fresh to say (防暑降温 has few entries, all read in the last
 * two weeks), another theme of the same priority leads instead, so the introduction matches the
 * entries that follow it. `hasFresh` tells whether a theme still has an entry not read recently.
 */
export function preferFreshLead(plan: DayPlan, hasFresh: (theme: ThemeRef) => boolean): DayPlan {
  if (hasFresh(plan.theme)) return plan;
  const alternative = plan.others.find((t) => t.priority === plan.theme.priority && hasFresh(t));
  if (!alternative) return plan;
  const others = [plan.theme, ...plan.others.filter((t) => t !== alternative)];
  return { ...plan, theme: alternative, others, mayRepeat: alternative.mayRepeat };
}

