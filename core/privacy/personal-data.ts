/**
 * /delete_me is one command for everything the service keeps about a person. Each module that stores
 * personal data (tips, volunteers, …) provides an eraser; the bot feature shows every preview, asks
 * once, then runs every erase. Lines are user-facing Chinese text, built from content strings.
 */
export interface PersonalDataEraser {
  /** Stable name for logs and tests (never personal). */
  readonly name: string;
  /** What would be deleted or kept, one line each; empty when this module holds nothing about the user. */
  preview(userId: number): Promise<string[]>;
  /** Deletes what preview announced; returns what was done, one line each. */
  erase(userId: number): Promise<string[]>;
}
