/** A pass-through that enforces byte limits while data streams, never trusting declared sizes. */
import { Transform, type TransformCallback } from 'node:stream';
import { corruptEntry, limitExceeded } from './errors.js';
import { RATIO_FLOOR_BYTES, type SnapshotLimits } from './limits.js';

/** Shared running total across the entries of one read session (e.g. one `verify()`). */
export interface ByteBudget {
  used: number;
}

export interface LimitStreamOptions {
  entry: string;
  limits: SnapshotLimits;
  budget: ByteBudget;
  /** Bytes the zip header declares: more is an error, and so is less at the end. */
  exactBytes?: number;
  /** Bytes this output was expanded from, for the ratio check. */
  expandedFrom?: number;
}

/** Counts bytes and fails as soon as a limit is crossed, before the excess is passed on. */
export function createLimitStream(options: LimitStreamOptions): Transform {
  const { entry, limits, budget, exactBytes, expandedFrom } = options;
  let count = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      count += chunk.length;
      budget.used += chunk.length;
      if (exactBytes !== undefined && count > exactBytes) {
        callback(corruptEntry(entry, `it expands to more than the ${exactBytes} bytes its header declares`));
      } else if (count > limits.maxEntryBytes) {
        callback(limitExceeded('per-entry size', count, limits.maxEntryBytes, entry));
      } else if (budget.used > limits.maxTotalBytes) {
        callback(limitExceeded('total size', budget.used, limits.maxTotalBytes, entry));
      } else if (expandedFrom !== undefined && count > RATIO_FLOOR_BYTES && count / Math.max(expandedFrom, 1) > limits.maxCompressionRatio) {
        callback(limitExceeded('compression ratio', Math.round(count / Math.max(expandedFrom, 1)), limits.maxCompressionRatio, entry));
      } else {
        callback(null, chunk);
      }
    },
    flush(callback: TransformCallback) {
      if (exactBytes !== undefined && count !== exactBytes) {
        callback(corruptEntry(entry, `it holds ${count} bytes but its header declares ${exactBytes}`));
        return;
      }
      callback();
    },
  });
}
