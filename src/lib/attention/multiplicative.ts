/** Multiplicative (Luong) attention: 'dot' qᵢ·kⱼ, 'general' qᵢ·W·kⱼ, and 'scaled-dot' qᵢ·kⱼ/√d_k. */
import { matmul, transpose, type Matrix } from '../matrix';
import { checkMatrix, fail } from '../validate';
import type { MaskOptions } from './mask';
import { attendFromScores, checkValues, type AttentionStages } from './scaled-dot';

/** The Luong score variants. */
export type LuongVariant = 'dot' | 'general' | 'scaled-dot';

/** Multiplicative attention stages: the shared stages plus the transformed queries q·W (T, d_k). */
export interface MultiplicativeStages extends AttentionStages {
  variant: LuongVariant;
  /** q·W for 'general', q otherwise, (T, d_k). */
  transformedQ: Matrix;
}

/**
 * Luong attention of q (T, d_q) over k (S, d_k) and v (S, d_v) → (T, d_v). 'dot' and 'scaled-dot' need
 * d_q = d_k; 'general' needs w (d_q, d_k).
 */
export function multiplicativeAttention(
  q: Matrix,
  k: Matrix,
  v: Matrix,
  variant: LuongVariant,
  options: MaskOptions & { w?: Matrix } = {},
): MultiplicativeStages {
  const fn = 'multiplicativeAttention';
  const [, dq] = checkMatrix(fn, 'q', q, { rowLabel: 'T', colLabel: 'd_q' });
  const [s, dk] = checkMatrix(fn, 'k', k, { rowLabel: 'S', colLabel: 'd_k' });
  checkValues(fn, v, s);
  let transformedQ = q; // (T, d_k)
  if (variant === 'general') {
    if (!options.w) fail(fn, `w (d_q=${dq}, d_k=${dk}) is required for the 'general' variant`);
    checkMatrix(fn, 'w', options.w, { rows: dq, cols: dk, rowLabel: 'd_q', colLabel: 'd_k' });
    transformedQ = matmul(q, options.w); // (T, d_q) @ (d_q, d_k) → (T, d_k)
  } else if (variant === 'dot' || variant === 'scaled-dot') {
    if (dq !== dk)
      fail(fn, `k must have shape (S, d_k=${dq}) to match q for '${variant}', got (${s}, ${dk})`);
  } else {
    fail(fn, `variant must be 'dot', 'general' or 'scaled-dot', got ${String(variant)}`);
  }
  const scores = matmul(transformedQ, transpose(k)); // (T, d_k) @ (d_k, S) → (T, S)
  const scale = variant === 'scaled-dot' ? 1 / Math.sqrt(dk) : 1;
  return { ...attendFromScores(fn, q, k, v, scores, scale, options), variant, transformedQ };
}
