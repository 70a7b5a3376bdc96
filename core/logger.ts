import pino, { type Logger } from 'pino';

export type { Logger };

/** Masks mainland mobile numbers (keeps 3 + 4 digits) so a phone never reaches a log line whole. */
export function maskPhone(text: string): string {
  return text.replace(/(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g, '$1****$2');
}

/**
 * One structured logger for the process. Personal fields are redacted by path so a careless
 * `log.info({ tip })` cannot leak a reporter; free text is phone-masked on the way out.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['*.phone', '*.reporterChatId', '*.reporter', '*.contact', '*.name', 'token', '*.token', 'from', '*.from',
          // telegraf errors carry the request they failed on (chat id, message text with names or phones).
          '*.on.payload'],
        censor: '[masked]',
      },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? maskPhone(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination ?? pino.destination(2),
  );
}
