import type { Selectable } from 'kysely';
import type { Db } from '../storage/database.ts';
import type { Schema } from '../storage/schema.ts';
import { TIP_STATUSES, type Tip, type TipStatus } from './tip-model.ts';

type TipRow = Selectable<Schema['tips']> & { duplicate_tracking_no: string | null };

/** Selects tips with the tracking number of the earlier tip they resemble (for the duplicate flag). */
export function selectTips(db: Db) {
  return db
    .selectFrom('tips')
    .leftJoin('tips as d', 'd.id', 'tips.duplicate_of')
    .selectAll('tips')
    .select('d.tracking_no as duplicate_tracking_no');
}

export function toTip(r: TipRow): Tip {
  const status = (TIP_STATUSES as readonly string[]).includes(r.status) ? (r.status as TipStatus) : 'new';
  let photos: string[] = [];
  try {
    const parsed: unknown = JSON.parse(r.photos);
    if (Array.isArray(parsed)) photos = parsed.filter((p): p is string => typeof p === 'string');
  } catch {
    photos = [];
  }
  return {
    id: r.id,
    trackingNo: r.tracking_no,
    areaId: r.area_id,
    ...(r.practice_id ? { practiceId: r.practice_id } : {}),
    description: r.description,
    ...(r.town_id ? { townId: r.town_id } : {}),
    ...(r.address ? { address: r.address } : {}),
    ...(r.latitude !== null && r.longitude !== null ? { location: { latitude: r.latitude, longitude: r.longitude } } : {}),
    photos,
    realName: r.real_name === 1,
    status,
    version: r.version,
    ...(r.department_id ? { departmentId: r.department_id } : {}),
    ...(r.result_note ? { resultNote: r.result_note } : {}),
    ...(r.duplicate_tracking_no ? { duplicateOf: r.duplicate_tracking_no } : {}),
    staffMarkedDuplicate: r.staff_marked_duplicate === 1,
    reopenCount: r.reopen_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.closed_at ? { closedAt: r.closed_at } : {}),
  };
}

/** Thrown inside a transaction to roll it back and hand a result out (Kysely rolls back on throw). */
export class Rollback<T> extends Error {
  constructor(readonly result: T) {
    super('rollback');
  }
}

export async function withRollback<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Rollback) return e.result as T;
    throw e;
  }
}
