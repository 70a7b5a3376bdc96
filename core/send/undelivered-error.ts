/** The send path gave up on a message (recorded for staff); callers must not replace it with an apology. */
export class UndeliveredError extends Error {
  constructor(readonly method: string, readonly chatId: number, readonly reason: string, options?: { cause?: unknown }) {
    super(`${method} to chat ${chatId} not delivered: ${reason}`, options);
    this.name = 'UndeliveredError';
  }
}
