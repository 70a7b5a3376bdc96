import crypto from 'node:crypto';

/**
 * Encrypts single personal fields (phone numbers) before they reach the database, so a copied database
 * file or backup does not reveal them. AES-256-GCM: authenticated, so a tampered or swapped value fails
 * to decrypt instead of yielding someone else's number. The `context` (e.g. `volunteer.phone:<user>`)
 * is bound as additional data: a ciphertext copied onto another row does not decrypt there.
 */
export interface FieldCipher {
  encrypt(plain: string, context: string): string;
  /** undefined when the value was written with another key, tampered with, or bound to another context. */
  decrypt(stored: string, context: string): string | undefined;
}

const VERSION = 'v1';
// A fixed, public salt only separates this use of DATA_KEY from any other; the secret is DATA_KEY itself.
const SALT = 'pingan-yubei/field-cipher/v1';

/** Derives the 256-bit key from DATA_KEY once (scrypt, so a short passphrase is still costly to guess). */
export function createFieldCipher(secret: string): FieldCipher {
  const key = crypto.scryptSync(secret, SALT, 32);
  return {
    encrypt(plain, context) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    decrypt(stored, context) {
      const [version, payload, ...rest] = stored.split('.');
      if (version !== VERSION || !payload || rest.length) return undefined;
      const raw = Buffer.from(payload, 'base64url');
      if (raw.length < 29) return undefined;
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}
