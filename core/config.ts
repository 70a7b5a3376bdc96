import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const idList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const parts = (v ?? '').split(/[\s,]+/).filter(Boolean);
    const ids: number[] = [];
    for (const p of parts) {
      if (!/^-?\d{1,20}$/.test(p)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${p}" is not a numeric Telegram id` });
        return z.NEVER;
      }
      ids.push(Number(p));
    }
    return ids;
  });

/** bot: Telegram updates; web: HTTP server; worker: runs jobs; scheduler: the daily cron and catch-up. */
export const PROCESS_ROLES = ['bot', 'web', 'worker', 'scheduler'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

const envSchema = z.object({
  NODE_ENV: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOT_TOKEN: optionalString.refine((v) => v === undefined || /^\d+:[\w-]+$/.test(v), 'expected 123456:ABC… from @BotFather'),
  TELEGRAM_API_ROOT: optionalString.pipe(z.string().url().optional()),
  WEBHOOK_URL: optionalString.pipe(z.string().url().optional()),
  WEBHOOK_SECRET: optionalString.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(v),
    'must be 16-256 characters of A-Z a-z 0-9 _ - (Telegram secret_token rules)',
  ),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  PUBLIC_URL: optionalString.pipe(z.string().url().regex(/^https?:\/\//, 'expected an http(s) URL').optional()),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: optionalString,
  REDIS_URL: optionalString.pipe(z.string().url().optional()),
  REDIS_PREFIX: optionalString.transform((v) => v ?? 'pingan:').pipe(z.string().regex(/^[\w.-]{1,40}:$/, 'letters, digits, . _ - and a final colon, e.g. pingan:')),
  CONTENT_DIR: z.string().default('./content'),
  STAFF_IDS: idList,
  STAFF_CHAT_ID: optionalString.pipe(z.coerce.number().int().optional()),
  TZ_BROADCAST: z.string().default('Asia/Shanghai'),
  BROADCAST_TIME: clock.default('06:30'),
  BROADCAST_CUTOFF: clock.default('12:00'),
  BROADCAST_RATE: z.coerce.number().positive().max(30).default(25),
  // Which parts this process runs; default all (one process does everything). Scale out by role.
  ROLES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const roles = (v ?? '').split(/[\s,]+/).filter(Boolean);
      const bad = roles.find((r) => !(PROCESS_ROLES as readonly string[]).includes(r));
      if (bad) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `unknown role "${bad}" (use ${PROCESS_ROLES.join(', ')})` });
        return z.NEVER;
      }
      return (roles.length ? [...new Set(roles)] : [...PROCESS_ROLES]) as ProcessRole[];
    }),
  DATA_KEY: optionalString.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters'),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(z.string().url().optional()),
  OPENAI_MODEL: optionalString,
  OPENAI_EMBEDDING_MODEL: optionalString,
  // Empty counts as unset (an empty line copied from .env.example must not read as 0).
  OPENAI_TIMEOUT_MS: optionalString.pipe(z.coerce.number().int().min(100).max(120_000).optional()).transform((v) => v ?? 4000),
  OPENAI_DAILY_TOKENS: optionalString.pipe(z.coerce.number().int().min(0).optional()).transform((v) => v ?? 200_000),
});

export interface Config {
  readonly env: string;
  readonly logLevel: string;
  readonly telegram: { readonly token?: string; readonly apiRoot?: string };
  readonly webhook?: { readonly url: string; readonly secret: string };
  readonly port: number;
  /** Where people reach the HTTP server (e.g. https://aq.example.cn), no trailing slash; absent: no links to it. */
  readonly publicUrl?: string;
  readonly dataDir: string;
  /** SQLite file path on the embedded default. */
  readonly databaseFile: string;
  readonly redisUrl?: string;
  /** Every Redis key starts with it, so several installations (or tests) can share one Redis. */
  readonly redisPrefix: string;
  readonly contentDir: string;
  readonly staffIds: readonly number[];
  readonly staffChatId?: number;
  readonly broadcast: { readonly timezone: string; readonly time: string; readonly cutoff: string; readonly ratePerSecond: number };
  /** Parts this process runs (ROLES); all of them by default. */
  readonly roles: readonly ProcessRole[];
  readonly dataKey?: string;
  readonly openai?: {
    readonly apiKey: string;
    readonly baseUrl?: string;
    readonly model: string;
    readonly embeddingModel?: string;
    /** Per-attempt timeout for a model call, ms. */
    readonly timeoutMs: number;
    /** Tokens per Asia/Shanghai day; past it the offline path is used and staff are told once. */
    readonly dailyTokens: number;
  };
}

/**
 * Parses the environment once at start. Optional sections (webhook, OpenAI) are either complete or
 * absent, so features never see half a configuration. Throws ConfigError naming each bad variable.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (Boolean(e.WEBHOOK_URL) !== Boolean(e.WEBHOOK_SECRET)) {
    throw new ConfigError('Invalid configuration:\n  WEBHOOK_URL and WEBHOOK_SECRET must be set together');
  }
  if (e.OPENAI_API_KEY && !e.OPENAI_MODEL) {
    throw new ConfigError('Invalid configuration:\n  OPENAI_MODEL is required when OPENAI_API_KEY is set');
  }
  if (e.BROADCAST_CUTOFF <= e.BROADCAST_TIME) {
    throw new ConfigError('Invalid configuration:\n  BROADCAST_CUTOFF must be later than BROADCAST_TIME (catch-up after downtime runs between them)');
  }
  if (!Intl.supportedValuesOf('timeZone').includes(e.TZ_BROADCAST) && e.TZ_BROADCAST !== 'UTC') {
    throw new ConfigError(`Invalid configuration:\n  TZ_BROADCAST: unknown time zone "${e.TZ_BROADCAST}"`);
  }
  let databaseFile = path.join(e.DATA_DIR, 'pingan.sqlite');
  if (e.DATABASE_URL) {
    const m = /^sqlite:(.+)$/.exec(e.DATABASE_URL);
    if (!m?.[1]) {
      throw new ConfigError(
        'Invalid configuration:\n  DATABASE_URL: only sqlite:<file> is supported so far (PostgreSQL is planned)',
      );
    }
    databaseFile = m[1];
  }
  const config: Config = {
    env: e.NODE_ENV ?? 'development',
    logLevel: e.LOG_LEVEL,
    telegram: { token: e.BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT },
    webhook: e.WEBHOOK_URL && e.WEBHOOK_SECRET ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET } : undefined,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir: e.DATA_DIR,
    databaseFile,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    contentDir: e.CONTENT_DIR,
    staffIds: Object.freeze(e.STAFF_IDS),
    staffChatId: e.STAFF_CHAT_ID,
    broadcast: { timezone: e.TZ_BROADCAST, time: e.BROADCAST_TIME, cutoff: e.BROADCAST_CUTOFF, ratePerSecond: e.BROADCAST_RATE },
    roles: e.ROLES,
    dataKey: e.DATA_KEY,
    openai:
      e.OPENAI_API_KEY && e.OPENAI_MODEL
        ? {
            apiKey: e.OPENAI_API_KEY,
            baseUrl: e.OPENAI_BASE_URL,
            model: e.OPENAI_MODEL,
            embeddingModel: e.OPENAI_EMBEDDING_MODEL,
            timeoutMs: e.OPENAI_TIMEOUT_MS,
            dailyTokens: e.OPENAI_DAILY_TOKENS,
          }
        : undefined,
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
