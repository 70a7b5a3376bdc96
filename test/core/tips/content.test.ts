import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNegativeList } from '../../../core/content/negative-list.ts';
import { loadDepartments } from '../../../core/content/departments.ts';
import { ContentError } from '../../../core/errors.ts';
import { CONTENT_DIR, realContent } from '../../support/content.ts';
import { decodeCallback, encodeCallback } from '../../../core/callback-data.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
/** A copy of the negative list and departments to break one file at a time. */
function copy(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-nl-'));
  dirs.push(d);
  fs.cpSync(path.join(CONTENT_DIR, 'negative-list'), path.join(d, 'negative-list'), { recursive: true });
  fs.cpSync(path.join(CONTENT_DIR, 'data'), path.join(d, 'data'), { recursive: true });
  return d;
}
const edit = (file: string, from: string | RegExp, to: string): void => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(from, to));
const error = (fn: () => unknown): ContentError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ContentError) return e;
    throw e;
  }
  throw new Error('expected a ContentError');
};

describe('the negative list and departments as content', () => {
  it('loads 11 areas, 77 practices with descriptions and examples, and the departments', () => {
    const { negativeList, departments } = realContent();
    expect(negativeList.areas).toHaveLength(11);
    expect(negativeList.areas.flatMap((a) => a.practices)).toHaveLength(77);
    expect(negativeList.practice('fire-ebike-corridor')?.examples.length).toBeGreaterThan(0);
    expect(negativeList.areas.every((a) => a.note.length > 0)).toBe(true);
    expect(departments.byId('fire-rescue')?.name).toBe('区消防救援支队');
  });

  it('every practice and department fits in button data, which parses back to itself', () => {
    const { negativeList, departments } = realContent();
    for (const p of negativeList.areas.flatMap((a) => a.practices)) {
      const cb = { kind: 'tip-flow' as const, draft: 'AbCdEfGh_-', step: 'prac' as const, value: p.id };
      expect(decodeCallback(encodeCallback(cb))).toEqual(cb);
    }
    for (const d of departments.all) {
      const cb = { kind: 'tip-dept' as const, tipId: 123456789, version: 99, dept: d.id };
      expect(decodeCallback(encodeCallback(cb))).toEqual(cb);
    }
  });

  it('a broken file stops start-up with a message naming the file', () => {
    let dir = copy();
    edit(path.join(dir, 'negative-list/gas.yaml'), /^ {4}description: .*\n/m, '');
    expect(error(() => loadNegativeList(dir)).message).toMatch(/negative-list\/gas\.yaml: practices\.0\.description: Required/);
    dir = copy();
    edit(path.join(dir, 'negative-list/fire.yaml'), 'id: fire-blocked-exits', 'id: gas-self-modify');
    expect(error(() => loadNegativeList(dir)).message).toMatch(/fire\.yaml: practice gas-self-modify must start with the area id/);
    dir = copy();
    edit(path.join(dir, 'negative-list/forest.yaml'), 'practices:', 'practices: [\n');
    expect(error(() => loadNegativeList(dir)).file).toMatch(/forest\.yaml$/);
    dir = copy();
    edit(path.join(dir, 'data/departments.yaml'), 'id: transport,', 'id: fire-rescue,');
    expect(error(() => loadDepartments(dir)).message).toMatch(/departments\.yaml: duplicate department id/);
  });
});
