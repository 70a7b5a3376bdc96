import type { Content } from '../content/load-content.ts';
import type { Column } from '../export/table-export.ts';
import type { Assignment } from './assignment-store.ts';
import { HOLDING, type Member } from './member-store.ts';
import { formatStamp } from './local-time.ts';
import type { VolunteerRepos } from './repos.ts';
import type { Volunteer } from './volunteer-store.ts';

export interface VolunteerRow {
  readonly v: Volunteer;
  readonly done: number;
  readonly minutes: number;
}

export interface MembershipRow {
  readonly a: Assignment;
  /** undefined: an assignment nobody was invited to yet (still one row, so it is not missing). */
  readonly m?: Member;
  /** Places held on the assignment (accepted, checked in, done). */
  readonly held: number;
}

const stamp = (iso: string | null | undefined): string => (iso ? formatStamp(Date.parse(iso)) : '');
const hours = (minutes: number | null | undefined): number | null => (minutes === null || minutes === undefined ? null : Math.round(minutes / 6) / 10);

/** Every volunteer with completed assignments and hours; phones decrypted (staff export only). */
export async function volunteersForExport(repos: VolunteerRepos): Promise<VolunteerRow[]> {
  const out: VolunteerRow[] = [];
  for (const v of await repos.volunteers.all()) {
    const done = (await repos.members.ofVolunteer(v.id)).filter((m) => m.state === 'done');
    out.push({ v, done: done.length, minutes: done.reduce((s, m) => s + (m.minutes ?? 0), 0) });
  }
  return out;
}

export function volunteerColumns(content: Content): Column<VolunteerRow>[] {
  const { towns, skills } = content;
  return [
    { key: 'id', header: '编号', value: (r) => r.v.id },
    { key: 'name', header: '姓名', value: (r) => r.v.name },
    // The one place a phone number leaves the database in clear: the staff roster.
    { key: 'phone', header: '手机号', value: (r) => r.v.phone ?? '', json: (r) => r.v.phone ?? null },
    { key: 'town', header: '镇街', value: (r) => towns.byId(r.v.townId)?.name ?? r.v.townId },
    { key: 'zone', header: '协作区', value: (r) => towns.zones.find((z) => z.towns.includes(r.v.townId))?.name ?? '' },
    { key: 'community', header: '村（社区）', value: (r) => r.v.community },
    { key: 'skills', header: '技能', value: (r) => skills.skills.names(r.v.skills).join('、'), json: (r) => r.v.skills },
    { key: 'availability', header: '方便时间', value: (r) => skills.availability.names(r.v.availability).join('、'), json: (r) => r.v.availability },
    { key: 'status', header: '状态', value: (r) => (r.v.status === 'paused' ? `暂停至 ${r.v.pausedUntil ?? ''}` : '正常'), json: (r) => r.v.status },
    { key: 'pausedUntil', header: '暂停至', value: (r) => r.v.pausedUntil ?? '' },
    { key: 'createdAt', header: '登记时间', value: (r) => stamp(r.v.createdAt), json: (r) => r.v.createdAt },
    { key: 'assignmentsDone', header: '完成任务数', value: (r) => r.done },
    { key: 'hours', header: '服务时长（小时）', value: (r) => hours(r.minutes) ?? 0 },
  ];
}

/** One row per assignment and volunteer on it (anonymised after /delete_me); never a phone number. */
export async function membershipsForExport(repos: VolunteerRepos): Promise<MembershipRow[]> {
  const out: MembershipRow[] = [];
  for (const a of await repos.assignments.all()) {
    const members = await repos.members.ofAssignment(a.id);
    const held = members.filter((m) => HOLDING.includes(m.state)).length;
    if (!members.length) out.push({ a, held });
    for (const m of members) out.push({ a, m, held });
  }
  return out;
}

export function membershipColumns(content: Content): Column<MembershipRow>[] {
  const { towns, skills, strings } = content;
  return [
    { key: 'assignmentId', header: '任务编号', value: (r) => r.a.id },
    { key: 'title', header: '任务', value: (r) => r.a.title },
    { key: 'town', header: '镇街', value: (r) => towns.byId(r.a.townId)?.name ?? r.a.townId },
    { key: 'place', header: '地点', value: (r) => r.a.place },
    { key: 'startsAt', header: '开始时间', value: (r) => formatStamp(r.a.startsAt), json: (r) => new Date(r.a.startsAt).toISOString() },
    { key: 'endsAt', header: '结束时间', value: (r) => formatStamp(r.a.endsAt), json: (r) => new Date(r.a.endsAt).toISOString() },
    { key: 'skills', header: '所需技能', value: (r) => skills.skills.names(r.a.skills).join('、'), json: (r) => r.a.skills },
    { key: 'needed', header: '需要人数', value: (r) => r.a.needed },
    { key: 'held', header: '已确认人数', value: (r) => r.held },
    { key: 'status', header: '任务状态', value: (r) => (r.a.status === 'cancelled' ? '已取消' : '进行中'), json: (r) => r.a.status },
    { key: 'volunteerId', header: '志愿者编号', value: (r) => r.m?.volunteerId ?? null },
    { key: 'volunteerName', header: '志愿者', value: (r) => (r.m ? r.m.name ?? strings.t('volunteer.deleted_person') : ''), json: (r) => r.m?.name ?? null },
    { key: 'state', header: '志愿者状态', value: (r) => (r.m ? strings.t(`volunteer.states.${r.m.state}`) : ''), json: (r) => r.m?.state ?? null },
    { key: 'checkedInAt', header: '签到时间', value: (r) => stamp(r.m?.checkedInAt), json: (r) => r.m?.checkedInAt ?? null },
    { key: 'checkedOutAt', header: '签退时间', value: (r) => stamp(r.m?.checkedOutAt), json: (r) => r.m?.checkedOutAt ?? null },
    { key: 'hours', header: '服务时长（小时）', value: (r) => hours(r.m?.minutes) },
    { key: 'report', header: '任务报告', value: (r) => r.m?.reportText ?? '' },
    { key: 'reportPhoto', header: '报告照片', value: (r) => (r.m?.reportPhoto ? '有' : ''), json: (r) => r.m?.reportPhoto ?? null },
  ];
}
