import { randomBytes, randomUUID } from 'node:crypto';

/** Where random hex comes from; seedable for tests and golden plans. */
export interface RandomSource {
  /** `length` lowercase hex characters. */
  hex(length: number): string;
}

/** Cryptographically random hex. */
export const secureRandom: RandomSource = {
  hex: (length) => randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length),
};

/** A deterministic source (mulberry32), for tests and golden snapshots. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    hex(length) {
      let out = '';
      for (let i = 0; i < length; i++) out += Math.floor(next() * 16).toString(16);
      return out;
    },
  };
}

/** A node instance id: `<node>_<5 lowercase hex>`, as in Cloudify. */
export function nodeInstanceId(nodeId: string, random: RandomSource): string {
  return `${nodeId}_${random.hex(5)}`;
}

/** A new UUID (executions, tasks, tokens). */
export function newUuid(): string {
  return randomUUID();
}
