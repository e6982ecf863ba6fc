import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { WebhookDestinationCheck } from '@pushline/domain';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address; tests inject one instead of asking DNS. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: HostResolver = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Loopback, private, link-local (with cloud metadata 169.254.169.254), CGNAT, multicast, reserved. */
const REFUSED: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

export class RefusedDestinationError extends Error {
  readonly code = 'ERR_WEBHOOK_DESTINATION_REFUSED';
  constructor(
    message: string,
    /** The name did not resolve at all (rather than to a refused address). */
    readonly unresolved = false,
  ) {
    super(message);
  }
}

/**
 * The SSRF guard: which addresses a webhook may be sent to. Checked on the addresses a host name
 * resolves to (every one of them, so a name that also resolves inward is refused), at subscription
 * time and again at every connection. `allowed` (`WEBHOOK_ALLOWED_HOSTS`) names hosts, addresses or
 * CIDRs exempt from it, e.g. a test's loopback receiver.
 */
export class WebhookDestinationPolicy implements WebhookDestinationCheck {
  private readonly refused = new BlockList();
  private readonly allowedNets = new BlockList();
  private readonly allowedHosts = new Set<string>();

  constructor(
    allowed: readonly string[] = [],
    private readonly resolve: HostResolver = systemResolver,
  ) {
    for (const [net, prefix, family] of REFUSED) this.refused.addSubnet(net, prefix, family);
    for (const entry of allowed.map((e) => e.trim().toLowerCase()).filter(Boolean)) {
      const [net, prefix] = entry.split('/');
      const family = isIP(net ?? '');
      if (family === 0) this.allowedHosts.add(entry);
      else this.allowedNets.addSubnet(net!, prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix), family === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Why `address` is refused, or null. */
  addressRefusal(address: string): string | null {
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (this.allowedNets.check(address, family)) return null;
    return this.refused.check(address, family) ? `${address} is a loopback, private, link-local, multicast or reserved address` : null;
  }

  /** The addresses to connect to for `hostname`; throws RefusedDestinationError when any is refused. */
  async addressesFor(hostname: string): Promise<readonly ResolvedAddress[]> {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const literal = isIP(host);
    if (literal !== 0) {
      if (!this.allowedHosts.has(host)) throwIfRefused(this.addressRefusal(host));
      return [{ address: host, family: literal === 6 ? 6 : 4 }];
    }
    let addresses: readonly ResolvedAddress[];
    try {
      addresses = await this.resolve(host);
    } catch (error) {
      throw new RefusedDestinationError(`${host} does not resolve (${(error as { code?: string }).code ?? 'lookup failed'})`, true);
    }
    if (addresses.length === 0) throw new RefusedDestinationError(`${host} does not resolve`, true);
    if (this.allowedHosts.has(host)) return addresses;
    for (const { address } of addresses) throwIfRefused(this.addressRefusal(address), `${host} resolves to `);
    return addresses;
  }

  /** At subscription time: a name that does not resolve yet is accepted (every send checks again). */
  async refusal(url: URL): Promise<string | null> {
    try {
      await this.addressesFor(url.hostname);
      return null;
    } catch (error) {
      if (error instanceof RefusedDestinationError) return error.unresolved ? null : error.message;
      throw error;
    }
  }
}

function throwIfRefused(refusal: string | null, prefix = ''): void {
  if (refusal) throw new RefusedDestinationError(`${prefix}${refusal}`);
}
