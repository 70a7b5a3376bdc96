/**
 * Errors the service distinguishes. A UserFacingError carries the Chinese text a person should read;
 * everything else is logged and answered with a generic apology, so internals never leak to users.
 */
export class UserFacingError extends Error {
  constructor(readonly userText: string, message?: string) {
    super(message ?? userText);
    this.name = 'UserFacingError';
  }
}

/** Bad content stops start-up: the message names the file (and line when known) and the reason. */
export class ContentError extends Error {
  constructor(readonly file: string, readonly reason: string, readonly line?: number) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'ContentError';
  }
}

/** A configuration variable is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
