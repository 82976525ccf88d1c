/** A half-open range of uuid keys: `from <= key < to` (`to` null: no upper bound). */
export interface KeyRange {
  from: string;
  to: string | null;
}

/** Batches are a power of two, so that each one is a fixed prefix of the (random) uuid key space. */
const MAX_BATCHES = 4096;

/** How many batches hold `size` items at about `batchSize` each. */
export function batchCount(size: number, batchSize: number): number {
  let batches = 1;
  while (batches < MAX_BATCHES && batches * batchSize < size) batches *= 2;
  return batches;
}

function lowerBound(batch: number, batches: number): string {
  const prefix = Math.round((batch * 2 ** 32) / batches)
    .toString(16)
    .padStart(8, '0');
  return `${prefix}-0000-0000-0000-000000000000`;
}

/** Batch `batch` (0-based) of `batches` equal slices of the uuid key space. */
export function keyRange(batch: number, batches: number): KeyRange {
  if (!Number.isInteger(batch) || batch < 0 || batch >= batches)
    throw new RangeError(`no batch ${batch} of ${batches}`);
  return { from: lowerBound(batch, batches), to: batch + 1 < batches ? lowerBound(batch + 1, batches) : null };
}
