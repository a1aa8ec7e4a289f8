/**
 * Padding and batching of variable-length sequences: how much padding random batches need compared
 * with sort-then-batch and with bucketing (torchtext's BucketIterator pools). Pure and deterministic:
 * the random source is passed in.
 */
import { checkInt, fail } from './validate';

/** A source of uniform draws in [0, 1), e.g. `createRng(seed)` from ./rng. */
export interface UniformSource {
  next(): number;
}

/** A batch padded to its longest sequence, with the mask that says which positions are real. */
export interface PaddedBatch {
  /** One row per sequence, each `maxLen` long; positions past a sequence's length hold `padValue`. */
  padded: number[][];
  /** `mask[i][t]` is true where position t of sequence i is a real token, false where it is padding. */
  mask: boolean[][];
  /** The real length of each sequence. */
  lengths: number[];
  /** The length every row is padded to (the longest sequence). */
  maxLen: number;
}

/** Padding figures for one batch of sequence lengths. */
export interface BatchPadding {
  /** The sequence lengths in this batch, in batch order. */
  lengths: number[];
  /** The longest length: every sequence is padded to it. */
  maxLen: number;
  /** Real tokens: the sum of the lengths. */
  real: number;
  /** Positions computed after padding: batch size × maxLen. */
  padded: number;
  /** Padding positions: padded − real. */
  pad: number;
}

/** Padding figures for a whole epoch of batches. */
export interface PaddingReport {
  /** Each batch's figures, in the order the batches are produced. */
  batches: BatchPadding[];
  /** Real tokens over all batches. */
  real: number;
  /** Positions computed over all batches. */
  padded: number;
  /** Padding positions over all batches. */
  pad: number;
  /** pad / padded: the fraction of computed positions that are padding (0 when nothing is padded). */
  waste: number;
}

/** The named stages of comparing three ways to batch the same lengths. */
export interface BatchingComparison {
  /** The input lengths, in dataset order. */
  lengths: number[];
  /** The same lengths after one seeded shuffle (the order an ordinary shuffled loader sees). */
  shuffled: number[];
  /** Shuffle, then cut into consecutive batches. */
  random: PaddingReport;
  /** Sort every length, then cut into consecutive batches (least padding, no randomness). */
  sorted: PaddingReport;
  /** Shuffle, sort within pools of `poolSize`, batch each pool, shuffle the batches (BucketIterator). */
  bucketed: PaddingReport;
}

const checkLengths = (fn: string, lengths: readonly number[]): void => {
  if (!Array.isArray(lengths) || lengths.length === 0) fail(fn, 'lengths must be a non-empty array');
  lengths.forEach((n, i) => checkInt(fn, `lengths[${i}]`, n, 1));
};

/** Pad token sequences to the longest one and return the padded rows with their real-token mask. */
export function padSequences(sequences: readonly (readonly number[])[], padValue = 0): PaddedBatch {
  if (!Array.isArray(sequences) || sequences.length === 0) {
    fail('padSequences', 'sequences must be a non-empty array of arrays');
  }
  const lengths = sequences.map((s, i) => {
    if (!Array.isArray(s)) fail('padSequences', `sequences[${i}] must be an array`);
    return s.length;
  });
  const maxLen = Math.max(...lengths);
  const padded = sequences.map((s) => [...s, ...Array<number>(maxLen - s.length).fill(padValue)]);
  const mask = lengths.map((n) => Array.from({ length: maxLen }, (_, t) => t < n));
  return { padded, mask, lengths, maxLen };
}

/** Padding figures for one batch of lengths: longest, real, padded and padding positions. */
export function batchPadding(lengths: readonly number[]): BatchPadding {
  checkLengths('batchPadding', lengths);
  const maxLen = Math.max(...lengths);
  const real = lengths.reduce((a, b) => a + b, 0);
  const padded = lengths.length * maxLen;
  return { lengths: [...lengths], maxLen, real, padded, pad: padded - real };
}

/** Cut a list into consecutive batches of `batchSize` (the last batch may be smaller). */
export function chunk<T>(items: readonly T[], batchSize: number): T[][] {
  checkInt('chunk', 'batchSize', batchSize, 1);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += batchSize) out.push(items.slice(i, i + batchSize));
  return out;
}

/** A shuffled copy (Fisher–Yates) driven by the given random source. */
export function shuffle<T>(items: readonly T[], rng: UniformSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Sum up the padding of a list of batches (each a list of lengths). */
export function paddingReport(batches: readonly (readonly number[])[]): PaddingReport {
  if (batches.length === 0) fail('paddingReport', 'batches must be a non-empty array');
  const figures = batches.map((b) => batchPadding(b));
  const real = figures.reduce((a, b) => a + b.real, 0);
  const padded = figures.reduce((a, b) => a + b.padded, 0);
  const pad = padded - real;
  return { batches: figures, real, padded, pad, waste: padded === 0 ? 0 : pad / padded };
}

/** Random batching: batches of `batchSize` cut from the lengths in the order given (shuffle first). */
export function randomBatches(shuffled: readonly number[], batchSize: number): number[][] {
  checkLengths('randomBatches', shuffled);
  return chunk(shuffled, batchSize);
}

/** Sort-then-batch: sort all lengths ascending and cut consecutive batches. */
export function sortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  checkLengths('sortedBatches', lengths);
  return chunk(
    [...lengths].sort((a, b) => a - b),
    batchSize,
  );
}

/**
 * Bucketing as torchtext's BucketIterator pools it: take the shuffled lengths in pools of `poolSize`,
 * sort each pool, cut it into batches, and shuffle the batches of each pool.
 */
export function bucketBatches(
  shuffled: readonly number[],
  batchSize: number,
  poolSize: number,
  rng: UniformSource,
): number[][] {
  checkLengths('bucketBatches', shuffled);
  checkInt('bucketBatches', 'batchSize', batchSize, 1);
  checkInt('bucketBatches', 'poolSize', poolSize, 1);
  const out: number[][] = [];
  for (const pool of chunk(shuffled, poolSize)) {
    const batches = sortedBatches(pool, batchSize);
    out.push(...shuffle(batches, rng));
  }
  return out;
}

/**
 * Compare random batching, sort-then-batch and bucketing on the same lengths. The random source is
 * used once to shuffle the data, then to shuffle each pool's batches; `poolSize` defaults to
 * torchtext's 100 × batchSize.
 */
export function compareBatching(
  lengths: readonly number[],
  batchSize: number,
  rng: UniformSource,
  poolSize = 100 * batchSize,
): BatchingComparison {
  checkLengths('compareBatching', lengths);
  checkInt('compareBatching', 'batchSize', batchSize, 1);
  checkInt('compareBatching', 'poolSize', poolSize, 1);
  const shuffled = shuffle(lengths, rng);
  return {
    lengths: [...lengths],
    shuffled,
    random: paddingReport(randomBatches(shuffled, batchSize)),
    sorted: paddingReport(sortedBatches(lengths, batchSize)),
    bucketed: paddingReport(bucketBatches(shuffled, batchSize, poolSize, rng)),
  };
}

/**
 * Draw `n` sentence-like lengths: log-normal around `median` tokens (spread `sigma` in log space),
 * rounded and clamped to [minLen, maxLen]. Real sentence lengths are skewed like this.
 */
export function sampleLengths(
  n: number,
  rng: UniformSource,
  { median = 20, sigma = 0.6, minLen = 1, maxLen = 200 } = {},
): number[] {
  checkInt('sampleLengths', 'n', n, 1);
  checkInt('sampleLengths', 'minLen', minLen, 1);
  checkInt('sampleLengths', 'maxLen', maxLen, minLen);
  if (!(median > 0) || !(sigma >= 0)) fail('sampleLengths', 'median must be > 0 and sigma >= 0');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const u1 = 1 - rng.next(); // (0, 1]: log is finite
    const u2 = rng.next();
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    const len = Math.round(median * Math.exp(sigma * z));
    out.push(Math.min(maxLen, Math.max(minLen, len)));
  }
  return out;
}
