import { describe, expect, it } from 'vitest';
import { createFieldCipher } from '../../../core/storage/field-cipher.ts';

describe('field cipher (AES-256-GCM with a key derived from DATA_KEY)', () => {
  const cipher = createFieldCipher('a-long-enough-data-key');
  it('round-trips, never shows the clear text, and differs every time', () => {
    const a = cipher.encrypt('13812345678', 'volunteer.phone:1');
    const b = cipher.encrypt('13812345678', 'volunteer.phone:1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812345678');
    expect(cipher.decrypt(a, 'volunteer.phone:1')).toBe('13812345678');
  });

  it('another key, another row, or a changed byte does not decrypt', () => {
    const a = cipher.encrypt('13812345678', 'volunteer.phone:1');
    expect(createFieldCipher('another-data-key-000').decrypt(a, 'volunteer.phone:1')).toBeUndefined();
    expect(cipher.decrypt(a, 'volunteer.phone:2')).toBeUndefined();
    // Flip one bit of the last ciphertext byte (editing a base64 character could leave it unchanged).
    const raw = Buffer.from(a.slice(3), 'base64url');
    raw[raw.length - 1] = raw.at(-1)! ^ 1;
    const tampered = `v1.${raw.toString('base64url')}`;
    expect(tampered).not.toBe(a);
    expect(cipher.decrypt(tampered, 'volunteer.phone:1')).toBeUndefined();
    expect(cipher.decrypt('garbage', 'volunteer.phone:1')).toBeUndefined();
  });
});
