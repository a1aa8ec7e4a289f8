/**
 * Pure logic for the normalization and regularization lab (no DOM): the seeded data set, parsing of
 * typed rows and numbers, a ridge-regularized polynomial fit solved in closed form, and a synthetic
 * train/validation curve for early stopping. The normalizations themselves come from src/lib.
 */
import { parseNumberRows, type NumberRule, type Parsed } from '../shared/parse';
import { l2Penalty, type EarlyStoppingResult } from '../../../src/lib/regularization';
import { createRng } from '../../../src/lib/rng';

/** Names and typical scales of the lab's three features (very different on purpose). */
export const FEATURES = [
  { name: 'x₁', mean: 120, std: 40 },
  { name: 'x₂', mean: 3, std: 1.2 },
  { name: 'x₃', mean: 0.05, std: 0.02 },
] as const;

/** Rows in a generated data set: at least 2 (batch norm needs two), at most 32. */
export const MIN_ROWS = 2;
export const MAX_ROWS = 32;

/** Round to a few significant digits so typed-back data equals what is shown. */
function round(v: number, digits: number): number {
  return Number(v.toFixed(digits));
}

/** A seeded data set of `rows` rows and three features with very different scales, (rows, 3). */
export function generateData(seed: number, rows: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: rows }, () =>
    FEATURES.map((f, j) => round(rng.normal(f.mean, f.std), [1, 2, 4][j])),
  );
}

/** Format a data set as one "a, b, c" line per row. */
export function formatRows(rows: readonly (readonly number[])[]): string {
  return rows.map((r) => r.join(', ')).join('\n');
}

/** The generated data set's seed and size, as the shared parser reads them. */
export const SEED: NumberRule = { label: 'Seed', min: 0, max: 999999, integer: true };
export const ROWS: NumberRule = { label: 'Rows', min: MIN_ROWS, max: MAX_ROWS, integer: true };

/** Parse typed rows "a, b, c" (one per line, 3 finite numbers each), 1..MAX_ROWS rows. */
export function parseRows(text: string, columns = FEATURES.length): Parsed<number[][]> {
  return parseNumberRows(text, { maxRows: MAX_ROWS, columns, example: '120, 3, 0.05' });
}

/** The mini-batches of a data set: consecutive slices of `size` rows, the last one possibly shorter. */
export function batches(rows: readonly number[][], size: number): number[][][] {
  const out: number[][][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/* ---------- L2: polynomial ridge regression ---------- */

/** Noisy samples of sin(πx) on [−1, 1]: the tiny fitting problem of the L2 part. */
export function ridgeData(seed: number, n = 10): { x: number[]; y: number[] } {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  const y = x.map((v) => round(Math.sin(Math.PI * v) + rng.normal(0, 0.25), 3));
  return { x, y };
}

/** Polynomial features 1, x, x², …, x^degree, (degree + 1). */
export function polyFeatures(x: number, degree: number): number[] {
  return Array.from({ length: degree + 1 }, (_, k) => x ** k);
}

/** Solve A w = b (A square) by Gaussian elimination with partial pivoting. */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]); // (n, n+1)
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (m[p][c] === 0) throw new RangeError('solve: singular matrix');
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const w = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * w[k];
    w[r] = s / m[r][r];
  }
  return w;
}

/** A ridge fit and the numbers the lab shows about it. */
export interface RidgeFit {
  /** Weights w₀ (bias, not penalized) … w_degree. */
  weights: number[];
  /** Mean squared error on the training points. */
  mse: number;
  /** λ·Σ_{k≥1} w_k² from src/lib's l2Penalty. */
  penalty: number;
  /** Σ_{k≥1} w_k². */
  sumSquares: number;
  /** Loss = mse + penalty. */
  loss: number;
  /** Largest |∂loss/∂w| at the solution (≈ 0: it is the minimum). */
  gradientNorm: number;
}

/**
 * Minimize (1/N)·Σ(ŷ − y)² + λ·Σ_{k≥1} w_k² over polynomial weights in closed form:
 * (ΦᵀΦ/N + λD) w = Φᵀy/N with D = diag(0, 1, …, 1) (the bias is not penalized).
 */
export function fitRidge(
  x: readonly number[],
  y: readonly number[],
  degree: number,
  lambda: number,
): RidgeFit {
  const n = x.length;
  const phi = x.map((v) => polyFeatures(v, degree)); // (N, P)
  const p = degree + 1;
  const a = Array.from({ length: p }, (_, i) =>
    Array.from(
      { length: p },
      (_, j) => phi.reduce((s, row) => s + row[i] * row[j], 0) / n + (i === j && i > 0 ? lambda : 0),
    ),
  ); // (P, P)
  const b = Array.from({ length: p }, (_, i) => phi.reduce((s, row, r) => s + row[i] * y[r], 0) / n); // (P)
  const weights = solve(a, b);
  const resid = phi.map((row, r) => row.reduce((s, f, k) => s + f * weights[k], 0) - y[r]); // (N)
  const mse = resid.reduce((s, v) => s + v * v, 0) / n;
  const l2 = l2Penalty(weights.slice(1), lambda);
  const dataGrad = Array.from(
    { length: p },
    (_, k) => (2 / n) * phi.reduce((s, row, r) => s + row[k] * resid[r], 0),
  );
  const grad = dataGrad.map((g, k) => g + (k > 0 ? l2.gradient[k - 1] : 0));
  return {
    weights,
    mse,
    penalty: l2.penalty,
    sumSquares: l2.sumSquares,
    loss: mse + l2.penalty,
    gradientNorm: Math.max(...grad.map(Math.abs)),
  };
}

/** Evaluate a polynomial with weights w at x. */
export function polyValue(weights: readonly number[], x: number): number {
  return weights.reduce((s, w, k) => s + w * x ** k, 0);
}

/** λ from the slider position s ∈ [0, 100]: 0 at s = 0, else 10^(−6 + 7s/100) (1e−6 … 10). */
export function lambdaFromSlider(s: number): number {
  if (s <= 0) return 0;
  return Number((10 ** (-6 + (7 * s) / 100)).toPrecision(3));
}

/* ---------- early stopping: a synthetic overfitting run ---------- */

/**
 * A seeded synthetic run of `epochs` epochs: the training loss keeps falling, the validation loss
 * falls, bottoms out and rises again as the model overfits, with noise. Not a real training run:
 * the curve only has the typical shape.
 */
export function syntheticCurves(seed: number, epochs = 40): { train: number[]; val: number[] } {
  const rng = createRng(seed);
  const train: number[] = [];
  const val: number[] = [];
  for (let e = 0; e < epochs; e++) {
    const base = 0.3 + 1.9 * Math.exp(-e / 5);
    train.push(round(base - 0.006 * e + rng.normal(0, 0.01), 3));
    val.push(round(base + 0.12 + 0.00035 * Math.max(0, e - 12) ** 2 + rng.normal(0, 0.025), 3));
  }
  return { train, val };
}

/** The lab's sentence for an early-stopping result over n epochs (epochs shown 1-based). */
export function earlyStoppingSummary(
  es: EarlyStoppingResult,
  patience: number,
  minDelta: number,
  n: number,
): string {
  const best = `Best epoch ${es.bestEpoch + 1} (validation loss ${es.bestValue}).`;
  if (es.stoppedEpoch !== null) {
    const from = es.bestEpoch + 2;
    const to = es.stoppedEpoch + 1;
    const span = from === to ? `Epoch ${to} did` : `Epochs ${from}–${to} did`;
    return `${best} ${span} not improve on it by more than min_delta = ${minDelta}: that is ${patience} = patience, so training stops after epoch ${to} and restores the weights of epoch ${es.bestEpoch + 1}.`;
  }
  const last =
    es.wait === 0
      ? 'the last epoch improved'
      : `the last ${es.wait === 1 ? 'epoch' : `${es.wait} epochs`} did not improve, fewer than patience = ${patience}`;
  return `${best} No stop: ${last}; training runs all ${n} epochs.`;
}
