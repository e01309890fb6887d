/** Timestamp formats of the three services (openstack-api-subset §0.2). */

/** Neutron / Nova `created`: `2016-12-21T01:36:04Z`. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Keystone: `2015-11-07T02:58:43.578887Z` (microseconds). */
export function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}

/** Nova `OS-SRV-USG:launched_at`: naive, microseconds, no zone. */
export function naiveMicros(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000');
}
