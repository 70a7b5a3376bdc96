/**
 * Job names of the tips feature and their deterministic ids. Ids derive from the outbox event (or the
 * tip and its due time), so enqueueing the same work twice is a no-op in either jobs implementation.
 */
export const TIP_JOBS = {
  staffPost: 'tips-staff-post',
  notifyReporter: 'tips-notify-reporter',
  overdue: 'tips-overdue',
  sweep: 'tips-sweep',
} as const;

export const staffPostJobId = (eventId: number, slot = ''): string => `${TIP_JOBS.staffPost}:${eventId}${slot}`;
export const notifyJobId = (eventId: number, slot = ''): string => `${TIP_JOBS.notifyReporter}:${eventId}${slot}`;
export const overdueJobId = (tipId: number, dueMs: number): string => `${TIP_JOBS.overdue}:${tipId}:${dueMs}`;
