/** Cross-attention: queries from one sequence, keys and values from another (e.g. decoder → encoder). */
import type { Matrix } from '../matrix';
import {
  projectQkv,
  scaledDotProductAttention,
  type AttentionStages,
  type QkvProjections,
  type ScaledDotOptions,
} from './scaled-dot';

/**
 * Cross-attention of x (T, d_x) over context (S, d_c): Q = x·wq (T, d_k), K = context·wk (S, d_k),
 * V = context·wv (S, d_v) → output (T, d_v) with every stage.
 */
export function crossAttention(
  x: Matrix,
  context: Matrix,
  w: QkvProjections,
  options: ScaledDotOptions = {},
): AttentionStages {
  const [q, k, v] = projectQkv('crossAttention', x, context, w);
  return scaledDotProductAttention(q, k, v, options);
}
