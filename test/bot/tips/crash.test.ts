import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../../core/storage/database.ts';
import { startFakeBotApi, type FakeBotApi } from '../../support/fake-bot-api.ts';
import { CONTENT_DIR } from '../../support/content.ts';
import { ROOT } from '../../support/run-cli.ts';
import { DATA_KEY, STAFF_GROUP, STAFF_ID, textOf, walkToSummary, press } from '../../support/tips-harness.ts';

const CHAT = 5301;
let api: FakeBotApi | undefined;
let child: ChildProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await api?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

it('a tip acknowledged to the reporter survives kill -9 of the process right after the acknowledgement', async () => {
  api = await startFakeBotApi();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-crash-'));
  child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/support/tips-bot-child.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, DATA_DIR: dataDir, CONTENT_DIR, LOG_LEVEL: 'silent',
      STAFF_IDS: String(STAFF_ID), STAFF_CHAT_ID: String(STAFF_GROUP), DATA_KEY, REDIS_URL: '', DATABASE_URL: '',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child!.once('exit', (_code, signal) => resolve(signal)));
  // Starting tsx and loading all content takes seconds, more on a busy machine.
  await api.waitForCalls(1, 'getUpdates', 120_000).catch((e: Error) => {
    throw new Error(`${e.message}\nchild stderr:\n${stderr}`);
  });

  const summary = await walkToSummary(api, CHAT, { realName: { name: '周强', phone: '13600002222' }, photos: 1 });
  // Kill the process from inside the fake's send handler: the child never even gets the answer to
  // its sendMessage, let alone a chance to do anything after the acknowledgement.
  let tracking = '';
  const killed = api.waitFor((m) => {
    const found = m.chat_id === CHAT && /JB\d{8}-\d{4}/.exec(textOf(m))?.[0];
    if (found && !tracking) {
      tracking = found;
      child!.kill('SIGKILL');
    }
    return Boolean(found);
  }, 10_000);
  press(api, CHAT, summary, '!submit');
  await killed;
  expect(await exited).toBe('SIGKILL');

  const database = await openDatabase(path.join(dataDir, 'pingan.sqlite'));
  try {
    const tip = await database.db.selectFrom('tips').selectAll().where('tracking_no', '=', tracking).executeTakeFirst();
    expect(tip?.description).toBe('3栋2单元楼道里天天有人给电瓶车充电，线从窗户拉下来');
    expect(JSON.parse(tip!.photos)).toHaveLength(1);
    const link = await database.db.selectFrom('tip_reporters').selectAll().where('tip_id', '=', tip!.id).executeTakeFirstOrThrow();
    expect(link.chat_id).toBe(CHAT);
    expect(link.contact_enc).toMatch(/^v1\./);
    // The staff post is not lost either: its outbox event is there, and its job unless it already ran.
    const event = await database.db.selectFrom('tip_events').selectAll().where('tip_id', '=', tip!.id).executeTakeFirstOrThrow();
    expect(event.action).toBe('created');
    expect(['pending', 'sending', 'sent']).toContain(event.staff_notice);
  } finally {
    await database.close();
  }
}, 240_000);
