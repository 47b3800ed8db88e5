import { promises as dns, lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { invalid } from '../errors.js';

/**
 * The guard against server-side request forgery: Gazette sends webhooks and WebSub pings only to
 * public addresses, unless the operator allows private ones (GAZETTE_WEBHOOKS_ALLOW_PRIVATE=on).
 * The address is checked when a URL is saved and again on every connection (the lookup the
 * socket connects with refuses it), so a host name that later resolves inwards gets nowhere.
 */

// Two lists: a v6 list would also match every IPv4 address through its IPv4-mapped rule.
const blocked4 = new BlockList();
const blocked6 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked4.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 96], // unspecified, loopback and the old IPv4-compatible form
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (carries an IPv4 address)
  ['fc00::', 7], // unique local (fd00:ec2::254 is a metadata address)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  blocked6.addSubnet(net, bits, 'ipv6');
}

/** True for an address Gazette must not send to unless private addresses are allowed. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked4.check(address, 'ipv4');
  if (family === 6) {
    const bare = address.replace(/%.*$/, '');
    // The dotted IPv4-mapped spelling (::ffff:127.0.0.1) is refused whatever it maps to.
    if (/^::ffff:/i.test(bare)) return true;
    return blocked6.check(bare, 'ipv6');
  }
  return true;
}

export interface OutboundUrlOptions {
  allowPrivate: boolean;
  /** What the field is called in a refusal (e.g. "url"). */
  field?: string;
  /** Resolves a host name to its addresses (tests may stand in a resolver). */
  resolve?: (host: string) => Promise<string[]>;
}

async function resolveAll(host: string): Promise<string[]> {
  const found = await dns.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** The host of a URL as a bare name or address (IPv6 without its brackets). */
export const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks an outbound URL: http or https, no credentials, at most 2000 characters, and (unless
 * private addresses are allowed) a host that resolves only to public addresses. Throws a 422
 * naming the field; answers the parsed URL.
 */
export async function checkOutboundUrl(raw: string, opts: OutboundUrlOptions): Promise<URL> {
  const field = opts.field ?? 'url';
  const value = raw.trim();
  if (!value) throw invalid('Enter the address (URL) to send to.', field);
  if (value.length > 2000) throw invalid('The address has at most 2000 characters.', field);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('This is not a full address: it starts with https:// (or http://).', field);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('Only http:// and https:// addresses can be used.', field);
  if (url.username || url.password) throw invalid('The address must not contain a user name or password.', field);
  const host = bareHost(url);
  if (!host) throw invalid('The address has no host name.', field);
  if (opts.allowPrivate) return url;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (opts.resolve ?? resolveAll)(host);
    } catch {
      throw invalid(`The host name ${host} could not be resolved.`, field);
    }
    if (addresses.length === 0) throw invalid(`The host name ${host} could not be resolved.`, field);
  }
  const bad = addresses.find(isForbiddenAddress);
  if (bad !== undefined) {
    throw invalid(
      `${host} is a private, loopback or otherwise internal address (${bad}); only public addresses can receive deliveries.`,
      field,
    );
  }
  return url;
}

/** A refused connection: the host resolved to an address Gazette does not send to. */
export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
}

/**
 * The `lookup` an outbound socket connects with: it resolves the host itself and refuses when any
 * address is internal, so the address connected to is the one that was checked.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      const cb = callback as (...args: unknown[]) => void;
      if (error) return cb(error);
      const list = addresses as { address: string; family: number }[];
      const bad = allowPrivate ? undefined : list.find((a) => isForbiddenAddress(a.address));
      if (bad || list.length === 0) {
        return cb(new ForbiddenAddressError(`${hostname} resolves to ${bad?.address ?? 'nothing'}, which deliveries may not reach`));
      }
      if ((options as { all?: boolean }).all) return cb(null, list);
      return cb(null, list[0].address, list[0].family);
    });
  };
}
