/** Scaled dot-product attention, softmax(QKᵀ/√d_k + mask)·V, and self-attention from X and projections. */
import { matmul, transpose, type Matrix } from '../matrix';
import { checkMatrix, checkNumber, fail } from '../validate';
import { maskedSoftmax, resolveMask, type AttentionMask, type MaskOptions } from './mask';

/** Every stage of an attention computation, for views that show each step. */
export interface AttentionStages {
  /** Queries, (T, d_k). */
  q: Matrix;
  /** Keys, (S, d_k). */
  k: Matrix;
  /** Values, (S, d_v). */
  v: Matrix;
  /** Raw scores Q·Kᵀ (or the variant's score), (T, S). */
  scores: Matrix;
  /** Scores times the scale, (T, S). */
  scaled: Matrix;
  /** Scaled scores with −∞ where masked, (T, S). */
  masked: Matrix;
  /** Row softmax of masked, (T, S). */
  weights: Matrix;
  /** weights · V, (T, d_v). */
  output: Matrix;
  /** The mask applied (true = may attend), (T, S), or null. */
  mask: AttentionMask | null;
  /** The factor applied to scores (1/√d_k by default). */
  scale: number;
  /** Rows with every key masked: their weights and output are zeros. */
  fullyMaskedRows: number[];
}

/** Options for scaled dot-product attention. */
export interface ScaledDotOptions extends MaskOptions {
  /** Factor applied to QKᵀ; defaults to 1/√d_k. */
  scale?: number;
}

/** Check v (S, d_v) against k's S; returns d_v. */
export function checkValues(fn: string, v: Matrix, s: number): number {
  return checkMatrix(fn, 'v', v, { rows: s, rowLabel: 'S', colLabel: 'd_v' })[1];
}

/** Finish attention from scores (T, S): scale, mask, softmax, weights·V; shared by the variants. */
export function attendFromScores(
  fn: string,
  q: Matrix,
  k: Matrix,
  v: Matrix,
  scores: Matrix,
  scale: number,
  options: MaskOptions,
): AttentionStages {
  const mask = resolveMask(fn, q.length, k.length, options);
  const scaled = scores.map((row) => row.map((x) => x * scale)); // (T, S)
  const { masked, weights, fullyMaskedRows } = maskedSoftmax(scaled, mask); // (T, S)
  const output = matmul(weights, v); // (T, S) @ (S, d_v) → (T, d_v)
  return { q, k, v, scores, scaled, masked, weights, output, mask, scale, fullyMaskedRows };
}

/** softmax(Q Kᵀ · scale, masked) V for q (T, d_k), k (S, d_k), v (S, d_v) → output (T, d_v) with stages. */
export function scaledDotProductAttention(
  q: Matrix,
  k: Matrix,
  v: Matrix,
  options: ScaledDotOptions = {},
): AttentionStages {
  const fn = 'scaledDotProductAttention';
  const [, dk] = checkMatrix(fn, 'q', q, { rowLabel: 'T', colLabel: 'd_k' });
  const [s] = checkMatrix(fn, 'k', k, { cols: dk, rowLabel: 'S', colLabel: 'd_k' });
  checkValues(fn, v, s);
  const scale = options.scale ?? 1 / Math.sqrt(dk);
  checkNumber(fn, 'scale', scale);
  if (scale <= 0) fail(fn, `scale must be > 0, got ${scale}`);
  const scores = matmul(q, transpose(k)); // (T, d_k) @ (d_k, S) → (T, S)
  return attendFromScores(fn, q, k, v, scores, scale, options);
}

/** Projection matrices for self- and cross-attention: wq (d_x, d_k), wk (d_c, d_k), wv (d_c, d_v). */
export interface QkvProjections {
  wq: Matrix;
  wk: Matrix;
  wv: Matrix;
}

/** Project queries from x (T, d_x) and keys/values from ctx (S, d_c): Q = x·wq, K = ctx·wk, V = ctx·wv. */
export function projectQkv(fn: string, x: Matrix, ctx: Matrix, w: QkvProjections): [Matrix, Matrix, Matrix] {
  const [, dx] = checkMatrix(fn, 'x', x, { rowLabel: 'T', colLabel: 'd_x' });
  const [, dc] = x === ctx ? [0, dx] : checkMatrix(fn, 'context', ctx, { rowLabel: 'S', colLabel: 'd_c' });
  const [, dk] = checkMatrix(fn, 'wq', w.wq, { rows: dx, rowLabel: 'd_x', colLabel: 'd_k' });
  checkMatrix(fn, 'wk', w.wk, { rows: dc, cols: dk, rowLabel: x === ctx ? 'd_x' : 'd_c', colLabel: 'd_k' });
  checkMatrix(fn, 'wv', w.wv, { rows: dc, rowLabel: x === ctx ? 'd_x' : 'd_c', colLabel: 'd_v' });
  return [
    matmul(x, w.wq), // (T, d_x) @ (d_x, d_k) → (T, d_k)
    matmul(ctx, w.wk), // (S, d_c) @ (d_c, d_k) → (S, d_k)
    matmul(ctx, w.wv), // (S, d_c) @ (d_c, d_v) → (S, d_v)
  ];
}

/** Self-attention of x (T, d_x) with Q = x·wq, K = x·wk, V = x·wv → output (T, d_v) with stages. */
export function selfAttention(x: Matrix, w: QkvProjections, options: ScaledDotOptions = {}): AttentionStages {
  const [q, k, v] = projectQkv('selfAttention', x, x, w);
  return scaledDotProductAttention(q, k, v, options);
}
