/** Additive (Bahdanau) attention: score(qᵢ, kⱼ) = vₐᵀ·tanh(qᵢ·Wq + kⱼ·Wk + b). */
import { matmul, type Matrix, type Vector } from '../matrix';
import { checkMatrix, checkVector } from '../validate';
import type { MaskOptions } from './mask';
import { attendFromScores, checkValues, type AttentionStages } from './scaled-dot';

/** Parameters: wq (d_q, d_a), wk (d_k, d_a), va (d_a), optional bias (d_a). */
export interface AdditiveParams {
  wq: Matrix;
  wk: Matrix;
  va: Vector;
  bias?: Vector;
}

/** Additive attention stages: the shared stages (scale 1, so scaled = scores) plus the hidden features. */
export interface AdditiveStages extends AttentionStages {
  /** q·wq, (T, d_a). */
  projQ: Matrix;
  /** k·wk, (S, d_a). */
  projK: Matrix;
  /** tanh(projQ[i] + projK[j] + bias), (T, S, d_a). */
  hidden: number[][][];
}

/** Bahdanau attention of q (T, d_q) over k (S, d_k) and v (S, d_v) → output (T, d_v) with stages. */
export function additiveAttention(
  q: Matrix,
  k: Matrix,
  v: Matrix,
  p: AdditiveParams,
  options: MaskOptions = {},
): AdditiveStages {
  const fn = 'additiveAttention';
  const [, dq] = checkMatrix(fn, 'q', q, { rowLabel: 'T', colLabel: 'd_q' });
  const [s, dk] = checkMatrix(fn, 'k', k, { rowLabel: 'S', colLabel: 'd_k' });
  checkValues(fn, v, s);
  const [, da] = checkMatrix(fn, 'wq', p.wq, { rows: dq, rowLabel: 'd_q', colLabel: 'd_a' });
  checkMatrix(fn, 'wk', p.wk, { rows: dk, cols: da, rowLabel: 'd_k', colLabel: 'd_a' });
  checkVector(fn, 'va', p.va, da);
  if (p.bias !== undefined) checkVector(fn, 'bias', p.bias, da);
  const projQ = matmul(q, p.wq); // (T, d_q) @ (d_q, d_a) → (T, d_a)
  const projK = matmul(k, p.wk); // (S, d_k) @ (d_k, d_a) → (S, d_a)
  const hidden = projQ.map((qi) =>
    projK.map((kj) => qi.map((x, a) => Math.tanh(x + kj[a] + (p.bias?.[a] ?? 0)))),
  ); // (T, S, d_a)
  const scores = hidden.map((row) => row.map((h) => h.reduce((sum, x, a) => sum + x * p.va[a], 0))); // (T, S)
  return { ...attendFromScores(fn, q, k, v, scores, 1, options), projQ, projK, hidden };
}
