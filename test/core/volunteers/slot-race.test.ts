import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../core/storage/database.ts';
import { createVolunteerRepos, type VolunteerRepos } from '../../../core/volunteers/repos.ts';
import { isUniqueViolation } from '../../../core/volunteers/member-store.ts';
import { realContent } from '../../support/content.ts';

const NOW = Date.parse('2026-12-01T01:00:00Z');
const KEY = 'slot-race-test-key-0000';
const open: Database[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function connect(file: string): Promise<VolunteerRepos> {
  const db = await openDatabase(file);
  open.push(db);
  return createVolunteerRepos(db, realContent().towns, KEY, () => NOW);
}

describe('the last place, decided by the database', () => {
  it('two connections (as two processes would have) accepting the last place at once: exactly one wins', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-race-'));
    dirs.push(dir);
    const file = path.join(dir, 'db.sqlite');
    const a = await connect(file);
    const b = await connect(file);
    // 20 rounds of 2 volunteers racing for 1 place, and 10 rounds of 10 racing for 3 places.
    for (const [count, needed] of [[2, 1], [2, 1], [10, 3]] as const) {
      for (let round = 0; round < 10; round++) {
        const s = await setupFresh(a, count, needed, round);
        const outcomes = await Promise.all(s.members.map((m, i) => (i % 2 ? b : a).members.claimSlot(m, 'x')));
        expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(needed);
        expect(outcomes.filter((o) => o === 'full')).toHaveLength(count - needed);
        const held = (await a.members.ofAssignment(s.assignment.id)).filter((m) => m.state === 'accepted');
        expect(held.map((m) => m.slot).sort()).toEqual(Array.from({ length: needed }, (_, i) => i + 1));
      }
    }
  });

  it('the unique index refuses a second holder of a place whatever the code does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-race-'));
    dirs.push(dir);
    const repos = await connect(path.join(dir, 'db.sqlite'));
    const s = await setupFresh(repos, 2, 1, 0);
    const { db } = open[0]!;
    await db.updateTable('assignment_members').set({ state: 'accepted', slot: 1 }).where('id', '=', s.members[0]!).execute();
    const second = db.updateTable('assignment_members').set({ state: 'accepted', slot: 1 }).where('id', '=', s.members[1]!).execute();
    await expect(second).rejects.toSatisfy(isUniqueViolation);
  });
});

let user = 20_000;
async function setupFresh(repos: VolunteerRepos, count: number, needed: number, round: number) {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const userId = user++;
    await repos.volunteers.register(userId, { name: `志愿者${i}`, phone: '13812345678', townId: 'lianglu', community: '双湖', skills: [], availability: ['anytime'] }, 'x');
    ids.push((await repos.volunteers.byUserId(userId))!.id);
  }
  const { assignment } = await repos.assignments.create(
    { title: '巡查', description: '河边巡查', townId: 'lianglu', place: '桥头', startsAt: NOW + 86_400_000, endsAt: NOW + 90_000_000, skills: [], needed },
    1, `round-${round}-${user}`, 'x',
  );
  const members: number[] = [];
  for (const id of ids) members.push((await repos.members.invite(assignment.id, id, 'x'))!);
  return { assignment, members };
}
