import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/storage/database.ts';
import { createVolunteerRepos } from '../../core/volunteers/repos.ts';
import { eraseVolunteer } from '../../core/volunteers/duty.ts';
import { realContent } from '../support/content.ts';
import { runCli } from '../support/run-cli.ts';

const KEY = 'volunteer-export-key-123';
const NOW = Date.parse('2026-12-01T01:00:00Z');
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-vexport-'));
  const database = await openDatabase(path.join(dataDir, 'pingan.sqlite'));
  const repos = createVolunteerRepos(database, realContent().towns, KEY, () => NOW);
  const base = { townId: 'lianglu', skills: ['first-aid', 'driver'], availability: ['weekends', 'evenings'] };
  await repos.volunteers.register(501, { ...base, name: '张三', phone: '13811112222', community: '双湖社区, "北区"' }, new Date(NOW).toISOString());
  await repos.volunteers.register(502, { ...base, name: '李四', phone: '13933334444', community: '=HYPERLINK("x")' }, new Date(NOW).toISOString());
  const { assignment } = await repos.assignments.create(
    { title: '防汛巡查', description: '沿河巡查', townId: 'lianglu', place: '北门', startsAt: NOW + 3_600_000, endsAt: NOW + 4 * 3_600_000, skills: ['first-aid'], needed: 2 },
    1, 'k1', new Date(NOW).toISOString(),
  );
  for (const userId of [501, 502]) {
    const v = await repos.volunteers.byUserId(userId);
    const id = (await repos.members.invite(assignment.id, v!.id, 'x'))!;
    await repos.members.claimSlot(id, 'x');
    await repos.members.move(id, ['accepted'], 'checked_in', { checked_in_at: new Date(NOW + 3_600_000).toISOString() });
    await repos.members.move(id, ['checked_in'], 'done', { checked_out_at: new Date(NOW + 3 * 3_600_000).toISOString(), minutes: 120 });
  }
  await eraseVolunteer(repos, 502);
  await database.close();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm run -s admin -- volunteers|assignments export', { timeout: 120_000 }, () => {
  it('volunteers export --format csv: BOM, CRLF, quoting, decrypted phones on stdout only, hours', () => {
    const r = runCli('admin.ts', ['volunteers', 'export', '--format', 'csv'], { env: { DATA_DIR: dataDir, DATA_KEY: KEY } });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\uFEFF编号,姓名,手机号,镇街,协作区,村（社区）,技能,方便时间,状态,')).toBe(true);
    expect(r.stdout).toContain('\r\n');
    expect(r.stdout).toContain('1,张三,13811112222,两路街道,空港北部协作区,"双湖社区, ""北区""",急救、驾驶,周末、晚上,正常,,2026-12-01 09:00,1,2\r\n');
    expect(r.stdout).not.toContain('李四');
    expect(r.stderr).toContain('1 volunteers exported');
    expect(r.stderr).not.toMatch(/1\d{10}/);
  });

  it('volunteers export --format json; with another DATA_KEY the phones are left empty and stderr says so', () => {
    const ok = runCli('admin.ts', ['volunteers', 'export', '--format', 'json'], { env: { DATA_DIR: dataDir, DATA_KEY: KEY } });
    expect(JSON.parse(ok.stdout)).toMatchObject([{ id: 1, name: '张三', phone: '13811112222', skills: ['first-aid', 'driver'], status: 'active', assignmentsDone: 1, hours: 2 }]);
    const wrong = runCli('admin.ts', ['volunteers', 'export', '--format', 'json'], { env: { DATA_DIR: dataDir, DATA_KEY: 'some-other-key-456789' } });
    expect(JSON.parse(wrong.stdout)[0].phone).toBeNull();
    expect(wrong.stderr).toContain('could not be decrypted');
  });

  it('assignments export: one row per volunteer, the deleted one anonymised with hours kept, no phone numbers', () => {
    const r = runCli('admin.ts', ['assignments', 'export', '--format', 'csv'], { env: { DATA_DIR: dataDir, DATA_KEY: KEY } });
    expect(r.code).toBe(0);
    const lines = r.stdout.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('任务编号,任务,镇街,地点,开始时间,结束时间,所需技能,需要人数,已确认人数,任务状态,志愿者编号,志愿者,志愿者状态,签到时间,签退时间,服务时长（小时）,任务报告,报告照片');
    expect(lines[1]).toBe('1,防汛巡查,两路街道,北门,2026-12-01 10:00,2026-12-01 13:00,急救,2,2,进行中,1,张三,已完成,2026-12-01 10:00,2026-12-01 12:00,2,,');
    expect(lines[2]).toBe('1,防汛巡查,两路街道,北门,2026-12-01 10:00,2026-12-01 13:00,急救,2,2,进行中,,（已注销）,已完成,2026-12-01 10:00,2026-12-01 12:00,2,,');
    expect(r.stdout).not.toMatch(/1[3-9]\d{9}/);
    const bad = runCli('admin.ts', ['assignments', 'export', '--format', 'xlsx'], { env: { DATA_DIR: dataDir } });
    expect(bad.code).toBe(2);
  });
});
