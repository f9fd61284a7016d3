/**
 * s3rver 3.7 encrypts ListObjectsV2 continuation tokens with single DES (`'des'`, i.e.
 * DES-CBC). OpenSSL 3 (Node >= 17) moved DES to the legacy provider, so without
 * `--openssl-legacy-provider` every paginated listing answers 500
 * (`error:0308010C:digital envelope routines::unsupported`).
 *
 * This shim makes `'des'` / `'des-cbc'` work in-process, without NODE_OPTIONS: DES-CBC with
 * key K equals triple-DES EDE-CBC with key K‖K‖K (encrypt-decrypt-encrypt with one key
 * collapses to a single encryption), and `des-ede3-cbc` is still in OpenSSL 3's default
 * provider. Tokens are byte-identical to real DES (test/integration/emulators.test.ts checks the
 * classic DES worked example). Only algorithm names OpenSSL refuses are rewritten; every
 * other call goes to the original function unchanged.
 */
import crypto, { type BinaryLike, type CipherKey } from 'node:crypto';

const SINGLE_DES = new Set(['des', 'des-cbc']);
let installed = false;

/** True when this process can create a single-DES cipher without help. */
export function nativeDesAvailable(): boolean {
  try {
    crypto.createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
    return true;
  } catch {
    return false;
  }
}

function toTripleDesKey(key: CipherKey): Buffer | undefined {
  const k = Buffer.isBuffer(key) ? key : typeof key === 'string' ? Buffer.from(key, 'utf8') : undefined;
  return k && k.length === 8 ? Buffer.concat([k, k, k]) : undefined;
}

/**
 * Installs the shim once per process if (and only if) OpenSSL refuses single DES.
 * Returns whether the shim is active.
 */
export function installDesShim(): boolean {
  if (installed) return true;
  if (nativeDesAvailable()) return false;
  const origCipher = crypto.createCipheriv;
  const origDecipher = crypto.createDecipheriv;
  // The overloads of createCipheriv are awkward to re-declare; the wrappers forward all arguments.
  const wrap = <F extends (...args: never[]) => unknown>(orig: F): F =>
    function (this: unknown, algorithm: string, key: CipherKey, iv: BinaryLike | null, ...rest: unknown[]) {
      const k3 = SINGLE_DES.has(String(algorithm).toLowerCase()) ? toTripleDesKey(key) : undefined;
      const args = k3 ? ['des-ede3-cbc', k3, iv, ...rest] : [algorithm, key, iv, ...rest];
      return (orig as unknown as (...a: unknown[]) => unknown).apply(this, args);
    } as unknown as F;
  crypto.createCipheriv = wrap(origCipher);
  crypto.createDecipheriv = wrap(origDecipher);
  installed = true;
  return true;
}
