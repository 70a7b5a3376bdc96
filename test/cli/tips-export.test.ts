import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/storage/database.ts';
import { createFieldCipher } from '../../core/storage/field-cipher.ts';
import { createTips } from '../../core/tips/tips.ts';
import { csvCell } from '../../core/export/table-export.ts';
import { runCli } from '../support/run-cli.ts';

const REPORTER = 987654321;
let dataDir: string;
let tracking: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-export-'));
  const database = await openDatabase(path.join(dataDir, 'pingan.sqlite'));
  const tips = createTips(database, { cipher: createFieldCipher('export-test-key-123'), now: () => Date.parse('2026-11-29T01:00:00Z') });
  const a = await tips.store.create({
    submissionKey: 'aaaaaaaaaa', areaId: 'fire', practiceId: 'fire-blocked-exits', townId: 'longxi', photos: ['AgACAgUAAxk1'],
    description: '楼道堆满纸箱, "旧沙发"\n还有电动车', contact: { name: '刘洋', phone: '13511112222' },
  }, REPORTER);
  const b = await tips.store.create({ submissionKey: 'bbbbbbbbbb', areaId: 'other', description: '=HYPERLINK("http://x")，河边有人电鱼', photos: [] }, REPORTER + 1);
  if (a.kind !== 'created' || b.kind !== 'created') throw new Error('setup failed');
  await tips.triage.act(a.tip.id, a.tip.version, 'close', 1, { note: '已清理' });
  tracking = [a.tip.trackingNo, b.tip.trackingNo];
  await database.close();
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

// Each case starts the real CLI (tsx, all content): seconds each, more on a busy machine.
describe('npm run -s admin -- tips export', { timeout: 120_000 }, () => {
  it('--format csv: UTF-8 with BOM for Excel, quoted cells, formulas neutralised, no reporter identity', () => {
    const r = runCli('admin.ts', ['tips', 'export', '--format', 'csv'], { env: { DATA_DIR: dataDir } });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\uFEFF编号,提交时间,状态,')).toBe(true);
    expect(r.stdout).toContain('\r\n');
    expect(r.stdout).toContain(`${tracking[0]},2026-11-29 09:00,已办结,`);
    expect(r.stdout).toContain('"楼道堆满纸箱, ""旧沙发""\n还有电动车"');
    expect(r.stdout).toContain(`'=HYPERLINK(""http://x"")，河边有人电鱼`);
    expect(r.stdout).toContain(',是,');
    for (const secret of ['刘洋', '13511112222', String(REPORTER), String(REPORTER + 1)]) expect(r.stdout).not.toContain(secret);
    expect(r.stderr).toContain('2 tips exported');
  });

  it('--format json: one object per tip with the same fields, no reporter identity', () => {
    const r = runCli('admin.ts', ['tips', 'export', '--format', 'json'], { env: { DATA_DIR: dataDir } });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((x) => x.trackingNo)).toEqual(tracking);
    expect(rows[0]).toMatchObject({ status: 'closed', realName: true, practiceId: 'fire-blocked-exits', town: '龙溪街道', photos: 1, resultNote: '已清理' });
    expect(rows[1]).toMatchObject({ status: 'new', realName: false, area: '其他（清单里没有）', town: '' });
    expect(Object.keys(rows[0]!).some((k) => /chat|reporter|contact|phone|username/i.test(k))).toBe(false);
    expect(r.stdout).not.toMatch(/刘洋|13511112222|987654321/);
  });

  it('bad arguments exit 2 with a clear message', () => {
    const bad = runCli('admin.ts', ['tips', 'export', '--format', 'xlsx'], { env: { DATA_DIR: dataDir } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--format must be csv or json');
    const unknown = runCli('admin.ts', ['tips', 'frobnicate'], { env: { DATA_DIR: dataDir } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('tips export --format csv|json');
  });
});

describe('CSV cells', () => {
  it('quotes what needs quoting and nothing else', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
  });
});
