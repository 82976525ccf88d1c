import { batchCount, keyRange } from './key-ranges';

describe('key ranges', () => {
  it('should use one batch for a small run and double until every batch holds at most the batch size', () => {
    expect(batchCount(0, 5000)).toBe(1);
    expect(batchCount(5000, 5000)).toBe(1);
    expect(batchCount(5001, 5000)).toBe(2);
    expect(batchCount(100_000, 5000)).toBe(32);
    expect(batchCount(10_000_000_000, 5000)).toBe(4096);
  });

  it('should cover the whole uuid key space with adjacent slices', () => {
    expect(keyRange(0, 1)).toEqual({ from: '00000000-0000-0000-0000-000000000000', to: null });
    expect([0, 1, 2, 3].map((batch) => keyRange(batch, 4))).toEqual([
      { from: '00000000-0000-0000-0000-000000000000', to: '40000000-0000-0000-0000-000000000000' },
      { from: '40000000-0000-0000-0000-000000000000', to: '80000000-0000-0000-0000-000000000000' },
      { from: '80000000-0000-0000-0000-000000000000', to: 'c0000000-0000-0000-0000-000000000000' },
      { from: 'c0000000-0000-0000-0000-000000000000', to: null },
    ]);
  });

  it('should refuse a batch outside the run', () => {
    expect(() => keyRange(4, 4)).toThrow(RangeError);
  });
});
