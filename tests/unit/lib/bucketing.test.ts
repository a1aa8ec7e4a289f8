import { describe, expect, it } from 'vitest';
import {
  batchPadding,
  bucketBatches,
  chunk,
  compareBatching,
  padSequences,
  paddingReport,
  randomBatches,
  sampleLengths,
  shuffle,
  sortedBatches,
  type UniformSource,
} from '../../../src/lib/bucketing';

/** A random source that replays a fixed list of draws, so expected shuffles can be worked by hand. */
const replay = (draws: number[]): UniformSource => {
  let i = 0;
  return { next: () => draws[i++ % draws.length] };
};

/** mulberry32, the same generator as src/lib/rng.ts, inlined so this test stands alone. */
const mulberry32 = (seed: number): UniformSource => {
  let s = seed >>> 0;
  return {
    next() {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
};

// The chapter's example: twelve sentences, batches of four. Expected figures computed with Python.
const lengths = [5, 23, 8, 14, 31, 9, 12, 27, 6, 18, 11, 20];

describe('padSequences(sequences, padValue)', () => {
  it('pads every row to the longest and marks the real tokens', () => {
    const { padded, mask, lengths: ls, maxLen } = padSequences([[7, 8, 9], [4], [1, 2]], 0);
    expect(maxLen).toBe(3);
    expect(ls).toEqual([3, 1, 2]);
    expect(padded).toEqual([
      [7, 8, 9],
      [4, 0, 0],
      [1, 2, 0],
    ]);
    expect(mask).toEqual([
      [true, true, true],
      [true, false, false],
      [true, true, false],
    ]);
  });
  it('uses the given pad value', () => {
    expect(padSequences([[1], [2, 3]], -1).padded).toEqual([
      [1, -1],
      [2, 3],
    ]);
  });
  it('rejects an empty batch', () => {
    expect(() => padSequences([])).toThrow(/padSequences: sequences must be a non-empty array/);
  });
});

describe.each([
  { batch: [5, 23, 8, 14], maxLen: 23, real: 50, padded: 92, pad: 42 },
  { batch: [31, 9, 12, 27], maxLen: 31, real: 79, padded: 124, pad: 45 },
  { batch: [5, 6, 8, 9], maxLen: 9, real: 28, padded: 36, pad: 8 },
  { batch: [7], maxLen: 7, real: 7, padded: 7, pad: 0 },
])('batchPadding($batch)', ({ batch, maxLen, real, padded, pad }) => {
  it(`pads to ${maxLen}: ${real} real, ${padded} computed, ${pad} padding`, () => {
    expect(batchPadding(batch)).toEqual({ lengths: batch, maxLen, real, padded, pad });
  });
});

describe('batchPadding(bad lengths)', () => {
  it.each([[[]], [[3, 0]], [[2.5]], [[Number.NaN]]])('rejects %j', (bad) => {
    expect(() => batchPadding(bad)).toThrow(/batchPadding: /);
  });
});

describe('chunk(items, batchSize)', () => {
  it.each([
    {
      n: 4,
      want: [
        [1, 2, 3, 4],
        [5, 6, 7],
      ],
    },
    { n: 3, want: [[1, 2, 3], [4, 5, 6], [7]] },
    { n: 10, want: [[1, 2, 3, 4, 5, 6, 7]] },
  ])('cuts 7 items into batches of $n', ({ n, want }) => {
    expect(chunk([1, 2, 3, 4, 5, 6, 7], n)).toEqual(want);
  });
  it('rejects a batch size below 1', () => {
    expect(() => chunk([1], 0)).toThrow(/chunk: batchSize must be an integer >= 1/);
  });
});

describe('shuffle(items, rng)', () => {
  it('is Fisher–Yates driven by the draws', () => {
    expect(shuffle(lengths, replay([0.5, 0.1, 0.9, 0.3, 0.7]))).toEqual([
      27, 20, 6, 11, 31, 5, 14, 9, 8, 18, 23, 12,
    ]);
  });
  it('keeps the same elements and leaves the input alone', () => {
    const input = [...lengths];
    const out = shuffle(input, mulberry32(42));
    expect([...out].sort((a, b) => a - b)).toEqual([...lengths].sort((a, b) => a - b));
    expect(input).toEqual(lengths);
  });
});

describe('paddingReport(batches)', () => {
  it.each([
    {
      name: 'the dataset order, batches of 4',
      batches: randomBatches(lengths, 4),
      pads: [42, 45, 25],
      padded: 296,
      pad: 112,
      waste: 112 / 296,
    },
    {
      name: 'sort-then-batch, batches of 4',
      batches: sortedBatches(lengths, 4),
      pads: [8, 17, 23],
      padded: 232,
      pad: 48,
      waste: 48 / 232,
    },
  ])('$name', ({ batches, pads, padded, pad, waste }) => {
    const r = paddingReport(batches);
    expect(r.batches.map((b) => b.pad)).toEqual(pads);
    expect(r.real).toBe(184);
    expect(r.padded).toBe(padded);
    expect(r.pad).toBe(pad);
    expect(r.waste).toBeCloseTo(waste, 12);
  });
  it('rejects no batches', () => {
    expect(() => paddingReport([])).toThrow(/paddingReport/);
  });
});

describe('bucketBatches(shuffled, batchSize, poolSize, rng)', () => {
  it('sorts within pools of 6, batches them, and shuffles each pool’s batches', () => {
    const rng = replay([0.5, 0.1, 0.9, 0.3, 0.7]);
    const shuffled = shuffle(lengths, rng);
    const batches = bucketBatches(shuffled, 4, 6, rng);
    expect(batches).toEqual([
      [27, 31],
      [5, 6, 11, 20],
      [8, 9, 12, 14],
      [18, 23],
    ]);
    const r = paddingReport(batches);
    expect(r.batches.map((b) => b.pad)).toEqual([4, 38, 13, 5]);
    expect(r.pad).toBe(60);
    expect(r.waste).toBeCloseTo(60 / 244, 12);
  });
  it('with one pool holding everything, has exactly the padding of sort-then-batch', () => {
    const b = bucketBatches(lengths, 4, 100, replay([0.3]));
    expect(paddingReport(b).pad).toBe(48);
  });
});

describe('compareBatching(lengths, batchSize, rng, poolSize)', () => {
  it('returns every named stage for the chapter example', () => {
    const c = compareBatching(lengths, 4, replay([0.5, 0.1, 0.9, 0.3, 0.7]), 6);
    expect(c.lengths).toEqual(lengths);
    expect(c.shuffled).toEqual([27, 20, 6, 11, 31, 5, 14, 9, 8, 18, 23, 12]);
    expect(c.random.batches.map((b) => b.pad)).toEqual([44, 65, 31]);
    expect(c.random.pad).toBe(140);
    expect(c.sorted.pad).toBe(48);
    expect(c.bucketed.pad).toBe(60);
  });
  // Figures cross-checked with a Python port of mulberry32, sampleLengths and the three batchings.
  it.each([
    { n: 1000, seed: 7, real: 24012, random: 69648, sorted: 25320, bucketed: 25320 },
    { n: 10000, seed: 1, real: 240161, random: 728944, sorted: 242848, bucketed: 252480 },
  ])(
    '$n sentence-like lengths (seed $seed), batches of 32: padded positions per strategy',
    ({ n, seed, real, random, sorted, bucketed }) => {
      const rng = mulberry32(seed);
      const ls = sampleLengths(n, rng);
      const c = compareBatching(ls, 32, rng);
      for (const r of [c.random, c.sorted, c.bucketed]) expect(r.real).toBe(real);
      expect(c.random.padded).toBe(random);
      expect(c.sorted.padded).toBe(sorted);
      expect(c.bucketed.padded).toBe(bucketed);
      expect(c.sorted.pad).toBeLessThanOrEqual(c.bucketed.pad);
      expect(c.random.waste).toBeGreaterThan(0.6);
      expect(c.bucketed.waste).toBeLessThan(0.06);
    },
  );
  it('rejects a bad batch size', () => {
    expect(() => compareBatching(lengths, 0, replay([0.5]))).toThrow(/compareBatching: batchSize/);
  });
});

describe('sampleLengths(n, rng, options)', () => {
  it('is deterministic for a seed and stays within bounds', () => {
    const a = sampleLengths(200, mulberry32(1), { median: 20, minLen: 3, maxLen: 60 });
    const b = sampleLengths(200, mulberry32(1), { median: 20, minLen: 3, maxLen: 60 });
    expect(a).toEqual(b);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...a)).toBeLessThanOrEqual(60);
    const sorted = [...a].sort((x, y) => x - y);
    expect(sorted[100]).toBeGreaterThanOrEqual(17);
    expect(sorted[100]).toBeLessThanOrEqual(23);
  });
  it('with sigma 0 returns the median every time', () => {
    expect(sampleLengths(3, mulberry32(1), { median: 12, sigma: 0 })).toEqual([12, 12, 12]);
  });
  it.each([
    [0, {}],
    [5, { minLen: 0 }],
    [5, { minLen: 10, maxLen: 5 }],
    [5, { median: 0 }],
  ])('rejects n=%i with %j', (n, opts) => {
    expect(() => sampleLengths(n, mulberry32(1), opts)).toThrow(/sampleLengths/);
  });
});
