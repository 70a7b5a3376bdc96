/**
 * A separate process creating tips concurrently on a shared SQLite file, for the tracking-number
 * uniqueness test: `node --import tsx tips-create-child.ts <file> <count> <chatBase>`. Prints the
 * tracking numbers as one JSON array. It says "ready" on stderr and waits for a line on stdin, so the
 * test can start both processes' writes at the same moment.
 */
import { openDatabase } from '../../core/storage/database.ts';
import { createTips } from '../../core/tips/tips.ts';

const [file, count, chatBase] = process.argv.slice(2);
const database = await openDatabase(file!);
const tips = createTips(database, { now: () => Date.parse('2026-11-29T02:00:00Z') });
process.stderr.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();
const results = await Promise.all(Array.from({ length: Number(count) }, (_, i) => tips.store.create({
  submissionKey: `${chatBase}-${i}`, areaId: 'fire', practiceId: 'fire-blocked-exits', townId: 'longxi', photos: [],
  description: `第${chatBase}-${i}号：安全出口被铁链锁住${'了'.repeat(i)}`,
}, Number(chatBase) + i)));
await database.close();
process.stdout.write(JSON.stringify(results.map((r) => (r.kind === 'created' ? r.tip.trackingNo : r.kind))));
