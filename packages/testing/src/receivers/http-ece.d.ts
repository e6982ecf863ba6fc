// Types for the parts of `http_ece` (Encrypted Content-Encoding, RFC 8188) the test push service uses.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';
  interface EceParams {
    version?: 'aes128gcm' | 'aesgcm' | 'aesgcm128';
    privateKey?: ECDH;
    dh?: Buffer | string;
    authSecret?: Buffer | string;
    salt?: Buffer | string;
    key?: Buffer | string;
    keyid?: Buffer | string;
    rs?: number;
    pad?: number;
  }
  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;
  const ece: { decrypt: typeof decrypt; encrypt: typeof encrypt };
  export default ece;
}
