import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../core/storage/database.ts';
import { createFieldCipher } from '../../../core/storage/field-cipher.ts';
import { createTips, type Tips } from '../../../core/tips/tips.ts';
import type { TipDraft } from '../../../core/tips/tip-model.ts';
import { localDay } from '../../../core/tips/tracking.ts';
import { textSimilarity } from '../../../core/tips/similarity.ts';
import { ROOT } from '../../support/run-cli.ts';

const dirs: string[] = [];
const open: Database[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
async function db(file?: string): Promise<{ database: Database; file: string }> {
  if (!file) {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-tips-'));
    dirs.push(d);
    file = path.join(d, 'tips.sqlite');
  }
  const database = await openDatabase(file);
  open.push(database);
  return { database, file };
}
let n = 0;
const draft = (over: Partial<TipDraft> = {}): TipDraft => ({
  submissionKey: `k${String(++n).padStart(9, '0')}`, areaId: 'fire', practiceId: 'fire-ebike-corridor',
  description: '3栋2单元楼道里天天有人给电瓶车充电，线从窗户拉下来', townId: 'longxi', photos: [], ...over,
});
const at = (iso: string) => () => Date.parse(iso);
const created = async (tips: Tips, d: TipDraft, chat: number) => {
  const r = await tips.store.create(d, chat);
  if (r.kind !== 'created') throw new Error(`expected created, got ${r.kind}`);
  return r.tip;
};

describe('tracking numbers', () => {
  it('use the Asia/Shanghai date and a per-day sequence that restarts each day', async () => {
    const { database } = await db();
    // 16:30 UTC on 29 November is already 30 November in Chongqing.
    const late = createTips(database, { now: at('2026-11-29T15:59:00Z') });
    const next = createTips(database, { now: at('2026-11-29T16:30:00Z') });
    expect((await created(late, draft(), 1)).trackingNo).toBe('JB20261129-0001');
    expect((await created(late, draft({ townId: 'longshan' }), 2)).trackingNo).toBe('JB20261129-0002');
    expect((await created(next, draft({ townId: 'longta' }), 1)).trackingNo).toBe('JB20261130-0001');
    expect(localDay(Date.parse('2026-12-31T16:00:00Z'))).toBe('20270101');
  });

  it('are unique under concurrency: two processes creating tips at once on one file', async () => {
    const { file } = await db();
    // Each child opens the file, says "ready" and waits; both are released together.
    const children = [1000, 2000].map((base) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/tips-create-child.ts'), file, '25', String(base)], { cwd: ROOT });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      const ready = new Promise<void>((resolve) => child.stderr.on('data', (c: Buffer) => ((err += c.toString()), err.includes('ready') && resolve())));
      const done = new Promise<string[]>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`child exited ${code}: ${err}`)))));
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.child.stdin.write('go\n');
    const numbers = (await Promise.all(children.map((c) => c.done))).flat();
    expect(numbers).toHaveLength(50);
    expect([...numbers].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `JB20261129-${String(i + 1).padStart(4, '0')}`));
  }, 120_000);
});

describe('creating a tip', () => {
  it('the same submission twice (double tap, replay) makes exactly one tip', async () => {
    const { database } = await db();
    const tips = createTips(database);
    const d = draft();
    const [x, y] = await Promise.all([tips.store.create(d, 5), tips.store.create(d, 5)]);
    expect([x.kind, y.kind].sort()).toEqual(['created', 'exists']);
    const count = await database.db.selectFrom('tips').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('limits a reporter to 5 tips a day (Asia/Shanghai), without touching other reporters or the next day', async () => {
    const { database } = await db();
    const today = createTips(database, { now: at('2026-11-29T03:00:00Z') });
    for (let i = 0; i < 5; i++) await created(today, draft({ description: `第${i}次：消防通道被私家车堵死了` }), 42);
    expect((await today.store.create(draft(), 42)).kind).toBe('limit');
    expect(await today.store.countToday(42)).toBe(5);
    expect((await today.store.create(draft(), 43)).kind).toBe('created');
    const tomorrow = createTips(database, { now: at('2026-11-29T16:01:00Z') });
    expect((await tomorrow.store.create(draft(), 42)).kind).toBe('created');
  });

  it('flags a similar tip on the same practice and town within 7 days as a possible duplicate (not rejected)', async () => {
    const { database } = await db();
    const t0 = createTips(database, { now: at('2026-11-20T03:00:00Z') });
    const first = await created(t0, draft({ description: '龙溪街道某小区3栋楼道里有人给电动车充电' }), 1);
    const t1 = createTips(database, { now: at('2026-11-25T03:00:00Z') });
    const dup = await created(t1, draft({ description: '3栋楼道有人给电动车充电，很危险' }), 2);
    expect(dup.duplicateOf).toBe(first.trackingNo);
    expect(dup.status).toBe('new');
    expect((await created(t1, draft({ description: '3栋楼道有人给电动车充电，很危险', townId: 'huixing' }), 3)).duplicateOf).toBeUndefined();
    expect((await created(t1, draft({ description: '楼下火锅店后厨的燃气罐放在过道里' }), 4)).duplicateOf).toBeUndefined();
    expect((await created(t1, draft({ practiceId: 'fire-blocked-exits', description: '3栋楼道有人给电动车充电，很危险' }), 5)).duplicateOf).toBeUndefined();
    const later = createTips(database, { now: at('2026-11-28T03:00:00Z') });
    // 8 days after the first, but within 7 days of the second similar one.
    expect((await created(later, draft({ description: '3栋楼道有人给电动车充电' }), 6)).duplicateOf).toBe(dup.trackingNo);
  });

  it('refuses real-name contact details without a cipher, and never stores them in clear with one', async () => {
    const { database, file } = await db();
    const contact = { name: '张三丰', phone: '13912345678' };
    expect((await createTips(database).store.create(draft({ contact }), 9)).kind).toBe('no-cipher');
    const tips = createTips(database, { cipher: createFieldCipher('a-test-key-of-16+chars') });
    const tip = await created(tips, draft({ contact }), 9);
    expect(tip.realName).toBe(true);
    expect(await tips.privacy.viewIdentity(tip.id, 777)).toEqual({ kind: 'shown', ...contact });
    // Another key (DATA_KEY changed) cannot read it; every view is audited.
    expect((await createTips(database, { cipher: createFieldCipher('another-key-16-chars') }).privacy.viewIdentity(tip.id, 778)).kind).toBe('unreadable');
    const views = await database.db.selectFrom('tip_identity_views').select(['staff_id', 'outcome']).orderBy('id').execute();
    expect(views).toEqual([{ staff_id: 777, outcome: 'shown' }, { staff_id: 778, outcome: 'unreadable' }]);
    for (const f of [file, `${file}-wal`].filter((p) => fs.existsSync(p))) {
      const bytes = fs.readFileSync(f);
      expect(bytes.includes(Buffer.from('13912345678'))).toBe(false);
      expect(bytes.includes(Buffer.from('张三丰'))).toBe(false);
    }
  });

  it('keeps the reporter out of the tips table: no column there points at a person', async () => {
    const { database } = await db();
    await created(createTips(database), draft(), 123456789);
    const row = await database.db.selectFrom('tips').selectAll().executeTakeFirstOrThrow();
    expect(Object.values(row)).not.toContain(123456789);
    const link = await database.db.selectFrom('tip_reporters').selectAll().executeTakeFirstOrThrow();
    expect(link.chat_id).toBe(123456789);
  });
});

describe('staff actions and the reporter side', () => {
  it('compare-and-set: two staff acting on the same version change the tip once', async () => {
    const { database } = await db();
    const tips = createTips(database);
    const tip = await created(tips, draft(), 1);
    const [a, b] = await Promise.all([tips.triage.act(tip.id, tip.version, 'accept', 11), tips.triage.act(tip.id, tip.version, 'reject', 12, { note: '不属实' })]);
    expect([a.kind, b.kind].sort()).toEqual(['ok', 'stale']);
    const events = await database.db.selectFrom('tip_events').select('action').where('actor', '=', 'staff').execute();
    expect(events).toHaveLength(1);
    // An action not allowed from the status (accept a rejected or accepted tip again) changes nothing.
    const now = (await tips.store.get(tip.id))!;
    expect((await tips.triage.act(tip.id, now.version, 'accept', 11)).kind).toBe('stale');
  });

  it('a closed tip can be reopened once by its reporter, and only by them', async () => {
    const { database } = await db();
    const tips = createTips(database);
    const tip = await created(tips, draft(), 1);
    const closed = await tips.triage.act(tip.id, tip.version, 'close', 11, { note: '已清理' });
    expect(closed.kind).toBe('ok');
    expect((await tips.store.reopen(tip.id, 2)).kind).toBe('not-found');
    const r = await tips.store.reopen(tip.id, 1);
    expect(r.kind === 'ok' && r.tip.status).toBe('reopened');
    const again = (await tips.store.get(tip.id))!;
    await tips.triage.act(tip.id, again.version, 'close', 11, { note: '再次清理' });
    expect((await tips.store.reopen(tip.id, 1)).kind).toBe('reopen-used');
  });

  it('/delete_me unlinks closed and rejected tips and keeps open ones linked for their result', async () => {
    const { database } = await db();
    const tips = createTips(database);
    const a = await created(tips, draft({ description: '第一条：仓库里住人' }), 1);
    const b = await created(tips, draft({ townId: 'huixing' }), 1);
    const c = await created(tips, draft({ townId: 'yuelai' }), 1);
    await tips.triage.act(a.id, a.version, 'close', 11, { note: '已整改' });
    await tips.triage.act(b.id, b.version, 'reject', 11, { note: '不属于负面清单' });
    expect(await tips.privacy.linkedCounts(1)).toEqual({ closed: 2, open: 1 });
    expect(await tips.privacy.unlinkClosed(1)).toBe(2);
    expect((await tips.store.listForReporter(1)).map((t) => t.id)).toEqual([c.id]);
    expect(await tips.store.get(a.id)).toBeDefined();
  });
});

describe('text similarity', () => {
  it('scores paraphrases of one hazard high and different hazards low', () => {
    expect(textSimilarity('3栋楼道有人给电动车充电', '3栋楼道里有人在给电动车充电！')).toBeGreaterThan(0.7);
    expect(textSimilarity('3栋楼道有人给电动车充电', '火锅店后厨燃气罐放在过道')).toBeLessThan(0.2);
    expect(textSimilarity('', '任何')).toBe(0);
  });
});

describe('the outbox claim is a short lease', () => {
  it('a second attempt is refused while the first holds it, renewing keeps it, and a crashed claim frees within seconds', async () => {
    const { database } = await db();
    let t = Date.parse('2026-12-01T02:00:00Z');
    const tips = createTips(database, { now: () => t });
    await created(tips, draft(), 1);
    const [{ id }] = await database.db.selectFrom('tip_events').select('id').execute() as [{ id: number }];
    expect(await tips.outbox.claim(id, 'staff')).toBeDefined();
    expect(await tips.outbox.claim(id, 'staff')).toBeUndefined();
    expect(await tips.outbox.isClaimed(id, 'staff')).toBe(true);
    t += 15_000;
    await tips.outbox.renew(id, 'staff');
    t += 15_000;
    expect(await tips.outbox.claim(id, 'staff')).toBeUndefined();
    // No renewal for longer than the lease: the worker that claimed it is gone.
    t += 21_000;
    expect(await tips.outbox.isClaimed(id, 'staff')).toBe(false);
    expect(await tips.outbox.claim(id, 'staff')).toBeDefined();
  });
});
