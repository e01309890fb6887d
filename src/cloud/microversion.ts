/** Nova microversion negotiation (subset §2.2). */
import type { IncomingHttpHeaders } from 'node:http';
import type { Microversion } from './context.js';
import { novaFault } from './faults.js';

function parse(text: string): Microversion | undefined {
  const match = /^(\d+)\.(\d+)$/.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

function compare(a: Microversion, b: Microversion): number {
  return a.major === b.major ? a.minor - b.minor : a.major - b.major;
}

/**
 * Reads `OpenStack-API-Version: compute X.Y` or `X-OpenStack-Nova-API-Version: X.Y`. No header →
 * 2.1; `latest` → the maximum; malformed → 400; out of range → 406.
 */
export function parseMicroversion(
  headers: IncomingHttpHeaders,
  min: string,
  max: string,
): Microversion {
  const lowest = parse(min)!;
  const highest = parse(max)!;
  let requested: string | undefined;
  const modern = headers['openstack-api-version'];
  if (typeof modern === 'string') {
    for (const part of modern.split(',')) {
      const [service, version] = part.trim().split(/\s+/);
      if (service?.toLowerCase() === 'compute' && version !== undefined) requested = version;
    }
  }
  const legacy = headers['x-openstack-nova-api-version'];
  if (requested === undefined && typeof legacy === 'string') requested = legacy;
  if (requested === undefined) return lowest;
  if (requested.trim().toLowerCase() === 'latest') return highest;
  const version = parse(requested);
  if (!version)
    throw novaFault(
      400,
      `API Version String ${requested} is of invalid format. Must be of format MajorNum.MinorNum.`,
    );
  if (compare(version, lowest) < 0 || compare(version, highest) > 0) {
    throw novaFault(
      406,
      `Version ${requested} is not supported by the API. Minimum is ${min} and maximum is ${max}.`,
    );
  }
  return version;
}
