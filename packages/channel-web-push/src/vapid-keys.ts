import { createECDH } from 'node:crypto';
import webpush from 'web-push';

/** The application server's identity towards push services (RFC 8292), base64url like browsers use. */
export interface VapidDetails {
  /** `mailto:` or `https:` contact the push service may use (`VAPID_SUBJECT`). */
  readonly subject: string;
  /** Uncompressed P-256 public key, 65 bytes (`VAPID_PUBLIC_KEY`); browsers subscribe with it. */
  readonly publicKey: string;
  /** The matching 32-byte private key (`VAPID_PRIVATE_KEY`); never logged. */
  readonly privateKey: string;
}

/** A fresh key pair (development, when none is configured). */
export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}

/** What is wrong with configured VAPID settings, by variable, or an empty list. */
export function vapidProblems(details: VapidDetails): string[] {
  const problems: string[] = [];
  if (!/^(mailto:.+|https:\/\/.+)$/.test(details.subject)) problems.push('VAPID_SUBJECT: must be a mailto: or https: URL');
  const publicKey = Buffer.from(details.publicKey, 'base64url');
  const privateKey = Buffer.from(details.privateKey, 'base64url');
  if (publicKey.length !== 65 || publicKey[0] !== 4) problems.push('VAPID_PUBLIC_KEY: must be a base64url uncompressed P-256 public key (65 bytes)');
  if (privateKey.length !== 32) problems.push('VAPID_PRIVATE_KEY: must be a base64url P-256 private key (32 bytes)');
  if (problems.length === 0) {
    // A swapped or mismatched pair would sign tokens browsers' push services refuse (403) on every send.
    const ecdh = createECDH('prime256v1');
    try {
      ecdh.setPrivateKey(privateKey);
      if (!ecdh.getPublicKey().equals(publicKey)) problems.push('VAPID_PRIVATE_KEY: does not match VAPID_PUBLIC_KEY');
    } catch {
      problems.push('VAPID_PRIVATE_KEY: is not a valid P-256 private key');
    }
  }
  return problems;
}
