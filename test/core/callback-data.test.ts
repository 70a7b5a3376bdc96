import { describe, expect, it } from 'vitest';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { realContent } from '../support/content.ts';

// Callback data is untrusted: a forged button must never reach an object's prototype.
const PROTO_KEYS = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
// Enum-like fields; free ids (department, town, entry) are looked up in Maps (see the last test).
const TEMPLATES = [
  'v1:ts:{}:1:1', 'v1:ts:c:{}:1', 'v1:tm:{}:1', 'v1:tf:{}:kind:x', 'v1:dm:{}', 'v1:sr:{}', 'v1:st:{}:x',
  'v1:bk:{}:0123abcd', 'v1:vf:{}', 'v1:vd:{}:1', 'v1:vs:{}:1', 'v1:f:1:{}', 'v1:s:{}', '{}:t:x', 'v1:{}:x',
];

describe('callback data', () => {
  it('rejects prototype keys in every enum-like field', () => {
    for (const template of TEMPLATES) {
      for (const key of PROTO_KEYS) {
        expect(decodeCallback(template.replace('{}', key)), `${template} with ${key}`).toBeUndefined();
      }
    }
  });

  it('still decodes what it encodes', () => {
    const staff = decodeCallback('v1:ts:c:12:3');
    expect(staff).toBeDefined();
    expect(decodeCallback(encodeCallback(staff!))).toEqual(staff);
    expect(decodeCallback('v1:vd:acc:5')).toEqual({ kind: 'vol-duty', action: 'acc', memberId: 5 });
  });

  it('finds no department or town named after a prototype key', () => {
    const content = realContent();
    for (const key of PROTO_KEYS) {
      expect(content.departments.byId(key)).toBeUndefined();
      expect(content.towns.byId(key)).toBeUndefined();
    }
    expect(decodeCallback('v1:td:1:1:constructor')).toMatchObject({ dept: 'constructor' });
  });
});
