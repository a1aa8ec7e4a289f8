/** Hard (argmax) attention beside soft attention: each query copies the value of its best-scoring key. */
import { matmul, type Matrix } from '../matrix';
import { scaledDotProductAttention, type AttentionStages, type ScaledDotOptions } from './scaled-dot';

/** Soft stages plus the hard choice. */
export interface HardAttentionStages extends AttentionStages {
  /** Index of the highest masked score per query (lowest index on ties; −1 for a fully masked row), (T). */
  argmax: number[];
  /** One-hot rows at argmax, (T, S). */
  hardWeights: Matrix;
  /** hardWeights · V: the chosen value rows, (T, d_v). */
  hardOutput: Matrix;
}

/** Hard vs soft scaled dot-product attention for q (T, d_k), k (S, d_k), v (S, d_v) → (T, d_v) each. */
export function hardAttention(
  q: Matrix,
  k: Matrix,
  v: Matrix,
  options: ScaledDotOptions = {},
): HardAttentionStages {
  const soft = scaledDotProductAttention(q, k, v, options);
  const argmax = soft.masked.map((row) => {
    let best = -1;
    row.forEach((x, j) => {
      if (x !== -Infinity && (best < 0 || x > row[best])) best = j;
    });
    return best;
  }); // (T)
  const hardWeights = soft.masked.map((row, i) => row.map((_, j) => (j === argmax[i] ? 1 : 0))); // (T, S)
  const hardOutput = matmul(hardWeights, v); // (T, S) @ (S, d_v) → (T, d_v)
  return { ...soft, argmax, hardWeights, hardOutput };
}
