import type { FastifyInstance, FastifyReply } from 'fastify';
import { MAX_YEAR, MIN_YEAR, todayIn } from '../core/broadcast/dates.ts';
import { checkIsoDay } from '../core/broadcast/day-input.ts';
import type { Script, ScriptSource } from '../core/broadcast/script-source.ts';
import type { Strings } from '../core/content/strings.ts';
import { UserFacingError } from '../core/errors.ts';
import type { Metrics } from '../core/metrics.ts';
import { PAGE_CSP, renderErrorPage, renderScriptPage } from './script-page.ts';

export interface ScriptRoutesDeps {
  /** Every reader goes through the script source, so urgent and delivered scripts win. */
  readonly source: ScriptSource;
  readonly strings: Strings;
  /** The broadcast time zone: "today" is the operator's day there. */
  readonly timezone: string;
  readonly now: () => number;
  readonly metrics?: Metrics;
}

type Format = 'html' | 'txt' | 'json';
const FORMATS: Record<string, Format> = { '': 'html', html: 'html', txt: 'txt', json: 'json' };
/** Longer than any town or street name; a longer ?town= is echoed back shortened, never in full. */
const MAX_TOWN_CHARS = 20;

/**
 * Cache lifetimes. Today's script can still be replaced by an urgent one, and /scripts/today moves at
 * midnight, so a minute; future days may get an urgent script too; past days were already read out.
 */
const CACHE = { today: 'public, max-age=60', future: 'public, max-age=600', past: 'public, max-age=86400' } as const;

/**
 * GET /scripts/today, /scripts/YYYY-MM-DD (printable page), .txt, .json; `today` works with every
 * format. ?town=<id or name> gives that town's wording. A malformed date is 400, a day outside the
 * supported years or an unknown town 404, each with a clear Chinese message in the requested format.
 */
export function registerScriptRoutes(app: FastifyInstance, deps: ScriptRoutesDeps): void {
  const t = (key: string, vars?: Record<string, string | number>): string => deps.strings.t(`operator.${key}`, vars);

  app.get('/scripts', (_req, reply) => reply.redirect('/scripts/today'));
  app.get<{ Params: { file: string }; Querystring: Record<string, unknown> }>('/scripts/:file', async (req, reply) => {
    if (req.params.file === '') return reply.redirect('/scripts/today');
    reply.header('x-content-type-options', 'nosniff');
    const m = /^([^.]*)(?:\.([a-z]+))?$/.exec(req.params.file);
    const format = FORMATS[m?.[2] ?? ''];
    if (!m || !format) return fail(reply, deps.strings, 'html', 404, t('web.not_found'));
    const today = todayIn(deps.timezone, new Date(deps.now()));
    const day = m[1] === 'today' ? today : (m[1] ?? '');
    const check = checkIsoDay(day);
    if (check.kind === 'malformed') return fail(reply, deps.strings, format, 400, t('web.bad_date', { input: [...day].slice(0, 30).join('') }));
    if (check.kind === 'unsupported') return fail(reply, deps.strings, format, 404, t('web.out_of_range', { date: check.date, min: MIN_YEAR, max: MAX_YEAR }));

    const raw = req.query.town;
    const townParam = typeof raw === 'string' ? raw.trim() : Array.isArray(raw) && typeof raw[0] === 'string' ? raw[0].trim() : '';
    const town = townParam ? [...townParam].slice(0, MAX_TOWN_CHARS).join('') : undefined;
    let script: Script;
    try {
      script = await deps.source.forDate(check.date, town);
    } catch (err) {
      if (err instanceof UserFacingError) return fail(reply, deps.strings, format, 404, err.userText);
      req.log.error({ err, date: check.date }, 'script failed');
      return fail(reply, deps.strings, format, 500, t('web.unavailable'));
    }
    deps.metrics?.inc('scripts_served_total', { via: 'web', format });
    reply.header('cache-control', check.date === today ? CACHE.today : check.date > today ? CACHE.future : CACHE.past);
    if (m[1] === 'today') reply.header('content-location', `/scripts/${check.date}${format === 'html' ? '' : `.${format}`}`);
    return send(reply, format, script, deps.strings, town);
  });
}

function send(reply: FastifyReply, format: Format, script: Script, strings: Strings, town: string | undefined): FastifyReply {
  switch (format) {
    case 'txt':
      return reply.type('text/plain; charset=utf-8').send(`${script.text}\n`);
    case 'json': {
      const { date, title, text, markdown, topics, sources } = script;
      const body = { date, title, text, markdown, topics, sources: sources.map((s) => ({ id: s.id, title: s.title })) };
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
    }
    case 'html':
      return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).send(renderScriptPage(script, strings, town));
  }
}

function fail(reply: FastifyReply, strings: Strings, format: Format, status: number, message: string): FastifyReply {
  reply.code(status).header('cache-control', 'no-store');
  switch (format) {
    case 'txt':
      return reply.type('text/plain; charset=utf-8').send(`${message}\n`);
    case 'json':
      return reply.type('application/json; charset=utf-8').send(JSON.stringify({ error: message, status }));
    case 'html':
      return reply.type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).send(renderErrorPage(message, strings));
  }
}
