/** Local (windowed) attention: each query sees only keys within a fixed distance. */
import type { Matrix } from '../matrix';
import { checkInt, checkMask, checkMatrix } from '../validate';
import { windowMask, type AttentionMask } from './mask';
import { scaledDotProductAttention, type AttentionStages } from './scaled-dot';

/**
 * Scaled dot-product attention restricted to |i − j| <= window (and j <= i when causal); an extra mask (T, S)
 * is combined with the window. q (T, d_k), k (S, d_k), v (S, d_v) → output (T, d_v).
 */
export function localAttention(
  q: Matrix,
  k: Matrix,
  v: Matrix,
  window: number,
  options: { causal?: boolean; mask?: AttentionMask; scale?: number } = {},
): AttentionStages & { window: number } {
  const fn = 'localAttention';
  const [t] = checkMatrix(fn, 'q', q, { rowLabel: 'T', colLabel: 'd_k' });
  const [s] = checkMatrix(fn, 'k', k, { rowLabel: 'S', colLabel: 'd_k' });
  checkInt(fn, 'window', window, 0);
  const extra = options.mask;
  if (extra !== undefined) checkMask(fn, 'mask', extra, t, s);
  const local = windowMask(t, s, window, options.causal ?? false); // (T, S)
  const mask = extra ? local.map((row, i) => row.map((b, j) => b && extra[i][j])) : local; // (T, S)
  return { ...scaledDotProductAttention(q, k, v, { mask, scale: options.scale }), window };
}
