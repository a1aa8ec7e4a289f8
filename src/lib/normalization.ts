/**
 * Normalization: min-max and z-score scaling of a vector; batch norm (PyTorch BatchNorm1d semantics) and
 * layer norm (PyTorch LayerNorm over the last dimension) of a matrix.
 */
import type { Matrix, Vector } from './matrix';
import { checkMatrix, checkNumber, checkRange, checkVector, fail } from './validate';

/** Min-max stages. */
export interface MinMaxStages {
  min: number;
  max: number;
  /** The target interval [lo, hi]. */
  range: [number, number];
  /** lo + (x − min)/(max − min)·(hi − lo), (n); all lo when max = min (constant input). */
  output: Vector;
  /** True when max = min. */
  constant: boolean;
}

/** Min-max scale x (n) into range [lo, hi] (default [0, 1]) → (n). */
export function minMaxNormalize(x: readonly number[], range: [number, number] = [0, 1]): MinMaxStages {
  checkVector('minMaxNormalize', 'x', x);
  if (!Array.isArray(range) || range.length !== 2) fail('minMaxNormalize', 'range must be [lo, hi]');
  checkNumber('minMaxNormalize', 'range[0]', range[0]);
  checkNumber('minMaxNormalize', 'range[1]', range[1]);
  if (!(range[0] < range[1]))
    fail('minMaxNormalize', `range must have lo < hi, got [${range[0]}, ${range[1]}]`);
  const min = Math.min(...x);
  const max = Math.max(...x);
  const constant = max === min;
  const [lo, hi] = range;
  const output = x.map((v) => (constant ? lo : lo + ((v - min) / (max - min)) * (hi - lo))); // (n)
  return { min, max, range: [lo, hi], output, constant };
}

/** Z-score stages. */
export interface ZScoreStages {
  mean: number;
  /** Biased (÷n) or, with unbiased, ÷(n − 1) variance. */
  variance: number;
  std: number;
  /** (x − mean)/std, (n); zeros when std = 0. */
  output: Vector;
  /** True when std = 0. */
  constant: boolean;
}

/** Standardize x (n) to zero mean, unit variance (population std unless unbiased) → (n). */
export function zScore(x: readonly number[], options: { unbiased?: boolean } = {}): ZScoreStages {
  const n = checkVector('zScore', 'x', x);
  if (options.unbiased && n < 2)
    fail('zScore', `x must have length >= 2 for the unbiased variance, got ${n}`);
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / (options.unbiased ? n - 1 : n);
  const std = Math.sqrt(variance);
  const constant = std === 0;
  return { mean, variance, std, output: x.map((v) => (constant ? 0 : (v - mean) / std)), constant };
}

/** Running statistics of a batch norm layer over C channels. */
export interface BatchNormState {
  /** (C), starts at zeros. */
  runningMean: Vector;
  /** (C), starts at ones. */
  runningVar: Vector;
  /** Training batches seen (used when momentum is null: cumulative average). */
  numBatchesTracked: number;
}

/** Fresh running statistics for C channels: mean 0, var 1, as PyTorch initialises them. */
export function createBatchNormState(channels: number): BatchNormState {
  if (!Number.isInteger(channels) || channels < 1) {
    fail('createBatchNormState', `channels must be an integer >= 1, got ${channels}`);
  }
  return {
    runningMean: new Array(channels).fill(0),
    runningVar: new Array(channels).fill(1),
    numBatchesTracked: 0,
  };
}

/** Batch norm options (PyTorch defaults: momentum 0.1, eps 1e-5; momentum null = cumulative average). */
export interface BatchNormOptions {
  training: boolean;
  gamma?: Vector;
  beta?: Vector;
  momentum?: number | null;
  eps?: number;
}

/** Batch norm stages. */
export interface BatchNormStages {
  /** Per-channel mean used to normalize: the batch's (training) or the running one (eval), (C). */
  mean: Vector;
  /** Per-channel variance used to normalize: biased batch variance (training) or running (eval), (C). */
  variance: Vector;
  /** Unbiased batch variance, (C), that updates runningVar (training only; null at eval). */
  unbiasedVariance: Vector | null;
  /** (x − mean)/√(variance + eps), (N, C). */
  normalized: Matrix;
  /** γ·normalized + β, (N, C). */
  output: Matrix;
  /** The updated running statistics (unchanged at eval); the input state is not mutated. */
  state: BatchNormState;
}

/** The learned scale γ and shift β (default 1s and 0s, each of length `size`) and eps (default 1e-5), checked. */
function affine(
  fn: string,
  options: { gamma?: Vector; beta?: Vector; eps?: number },
  size: number,
): { gamma: Vector; beta: Vector; eps: number } {
  const gamma = options.gamma ?? new Array<number>(size).fill(1); // (size)
  const beta = options.beta ?? new Array<number>(size).fill(0); // (size)
  checkVector(fn, 'gamma', gamma, size);
  checkVector(fn, 'beta', beta, size);
  const eps = options.eps ?? 1e-5;
  checkRange(fn, 'eps', eps, 0, Infinity, { loOpen: true, hiOpen: true });
  return { gamma, beta, eps };
}

/**
 * Batch norm of x (N, C) over the batch dimension. Training: normalize with the biased batch variance and
 * update running_var with the unbiased one (N >= 2 required, as PyTorch). Eval: use the running statistics.
 */
export function batchNorm(x: Matrix, state: BatchNormState, options: BatchNormOptions): BatchNormStages {
  const fn = 'batchNorm';
  const [n, c] = checkMatrix(fn, 'x', x, { rowLabel: 'N', colLabel: 'C' });
  checkVector(fn, 'state.runningMean', state.runningMean, c);
  checkVector(fn, 'state.runningVar', state.runningVar, c);
  const { gamma, beta, eps } = affine(fn, options, c);
  const momentum = options.momentum === undefined ? 0.1 : options.momentum;
  if (momentum !== null) checkRange(fn, 'momentum', momentum, 0, 1);
  let mean: Vector;
  let variance: Vector;
  let unbiasedVariance: Vector | null = null;
  let next: BatchNormState = {
    runningMean: state.runningMean.slice(),
    runningVar: state.runningVar.slice(),
    numBatchesTracked: state.numBatchesTracked,
  };
  if (options.training) {
    if (n < 2)
      fail(fn, `x must have N >= 2 rows in training (one value per channel has no variance), got ${n}`);
    mean = Array.from({ length: c }, (_, j) => x.reduce((s, row) => s + row[j], 0) / n); // (C)
    const ss = Array.from({ length: c }, (_, j) => x.reduce((s, row) => s + (row[j] - mean[j]) ** 2, 0)); // (C)
    variance = ss.map((v) => v / n); // (C) biased
    unbiasedVariance = ss.map((v) => v / (n - 1)); // (C)
    const tracked = state.numBatchesTracked + 1;
    const f = momentum === null ? 1 / tracked : momentum;
    next = {
      runningMean: state.runningMean.map((r, j) => (1 - f) * r + f * mean[j]),
      runningVar: state.runningVar.map((r, j) => (1 - f) * r + f * unbiasedVariance![j]),
      numBatchesTracked: tracked,
    };
  } else {
    mean = state.runningMean.slice();
    variance = state.runningVar.slice();
  }
  const normalized = x.map((row) => row.map((v, j) => (v - mean[j]) / Math.sqrt(variance[j] + eps))); // (N, C)
  const output = normalized.map((row) => row.map((v, j) => gamma[j] * v + beta[j])); // (N, C)
  return { mean, variance, unbiasedVariance, normalized, output, state: next };
}

/** Layer norm stages. */
export interface LayerNormStages {
  /** Per-row mean, (T). */
  mean: Vector;
  /** Per-row biased variance, (T). */
  variance: Vector;
  /** (x − mean)/√(variance + eps), (T, d). */
  normalized: Matrix;
  /** γ·normalized + β, (T, d). */
  output: Matrix;
}

/** Layer norm of each row of x (T, d) with optional gamma, beta (d) and eps (default 1e-5) → (T, d). */
export function layerNorm(
  x: Matrix,
  options: { gamma?: Vector; beta?: Vector; eps?: number } = {},
): LayerNormStages {
  const fn = 'layerNorm';
  const [, d] = checkMatrix(fn, 'x', x, { rowLabel: 'T', colLabel: 'd' });
  const { gamma, beta, eps } = affine(fn, options, d);
  const mean = x.map((row) => row.reduce((s, v) => s + v, 0) / d); // (T)
  const variance = x.map((row, i) => row.reduce((s, v) => s + (v - mean[i]) ** 2, 0) / d); // (T)
  const normalized = x.map((row, i) => row.map((v) => (v - mean[i]) / Math.sqrt(variance[i] + eps))); // (T, d)
  const output = normalized.map((row) => row.map((v, j) => gamma[j] * v + beta[j])); // (T, d)
  return { mean, variance, normalized, output };
}
