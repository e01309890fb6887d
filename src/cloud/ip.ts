/**
 * IPv4 arithmetic for the local cloud. Every address the cloud hands out, listens on or connects
 * to lies inside 127.0.0.0/8; {@link isLoopback} and {@link assertLoopback} are the one check.
 */

/** A parsed IPv4 CIDR. `network` and `broadcast` are 32-bit unsigned integers. */
export interface Cidr {
  text: string;
  network: number;
  prefix: number;
  broadcast: number;
}

/** Parses a dotted quad; `undefined` when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value >>> 0;
}

/** Formats a 32-bit unsigned integer as a dotted quad. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** Parses `a.b.c.d/p`; `undefined` when malformed or when host bits are set. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, prefixText, ...rest] = text.split('/');
  if (
    addr === undefined ||
    prefixText === undefined ||
    rest.length > 0 ||
    !/^\d{1,2}$/.test(prefixText)
  )
    return undefined;
  const ip = parseIpv4(addr);
  const prefix = Number(prefixText);
  if (ip === undefined || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  if ((ip & mask) >>> 0 !== ip) return undefined;
  return { text, network: ip, prefix, broadcast: (ip | (~mask >>> 0)) >>> 0 };
}

/** True when `ip` (text) lies in `cidr`. */
export function cidrContains(cidr: Cidr, ip: string): boolean {
  const value = parseIpv4(ip);
  return value !== undefined && value >= cidr.network && value <= cidr.broadcast;
}

/** True when two CIDRs share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.network <= b.broadcast && b.network <= a.broadcast;
}

const LOOPBACK = parseCidr('127.0.0.0/8')!;

/** True when the address (text) is inside 127.0.0.0/8. */
export function isLoopback(ip: string): boolean {
  return cidrContains(LOOPBACK, ip);
}

/** True when the whole CIDR is inside 127.0.0.0/8. */
export function isLoopbackCidr(cidr: Cidr): boolean {
  return cidr.network >= LOOPBACK.network && cidr.broadcast <= LOOPBACK.broadcast;
}

/**
 * Throws when `ip` is not a loopback address. Called before every listen and connect the cloud
 * makes, so a bug elsewhere can never reach another host.
 */
export function assertLoopback(ip: string, purpose: string): void {
  if (!isLoopback(ip))
    throw new Error(`refusing to ${purpose} ${ip}: the local cloud only uses 127.0.0.0/8`);
}

/** Usable host addresses of a CIDR (no network or broadcast address for prefixes < 31). */
export function hostRange(cidr: Cidr): { first: number; last: number } {
  if (cidr.prefix >= 31) return { first: cidr.network, last: cidr.broadcast };
  return { first: cidr.network + 1, last: cidr.broadcast - 1 };
}
