/**
 * Attention masks and the masked softmax shared by every attention variant.
 * Convention (as in torch.nn.functional.scaled_dot_product_attention's boolean attn_mask): mask[i][j] === true
 * means query i MAY attend to key j; false entries get −∞ before the softmax.
 * A row with every key masked has no defined softmax (PyTorch returns NaN): here its weights and output are
 * zeros and the row index is reported in `fullyMaskedRows`.
 */
import { softmax } from '../softmax';
import type { Matrix } from '../matrix';
import { checkInt, checkMask, fail } from '../validate';

/** A boolean attention mask (T, S): true = may attend. */
export type AttentionMask = boolean[][];

/** Causal mask (T, S): query i may attend keys j <= i (top-left aligned, like PyTorch's is_causal). */
export function causalMask(t: number, s = t): AttentionMask {
  checkInt('causalMask', 't', t, 1);
  checkInt('causalMask', 's', s, 1);
  return Array.from({ length: t }, (_, i) => Array.from({ length: s }, (_, j) => j <= i)); // (T, S)
}

/** Local window mask (T, S): query i may attend keys with |i − j| <= window (and j <= i when causal). */
export function windowMask(t: number, s: number, window: number, causal = false): AttentionMask {
  checkInt('windowMask', 't', t, 1);
  checkInt('windowMask', 's', s, 1);
  checkInt('windowMask', 'window', window, 0);
  return Array.from({ length: t }, (_, i) =>
    Array.from({ length: s }, (_, j) => Math.abs(i - j) <= window && (!causal || j <= i)),
  ); // (T, S)
}

/** Options shared by the attention functions. */
export interface MaskOptions {
  /** Boolean mask (T, S): true = may attend. */
  mask?: AttentionMask;
  /** Also apply the causal mask (j <= i). */
  causal?: boolean;
}

/** Combine an explicit mask with the causal flag into one mask (T, S), or null when nothing is masked. */
export function resolveMask(fn: string, t: number, s: number, options: MaskOptions): AttentionMask | null {
  if (options.mask !== undefined) checkMask(fn, 'mask', options.mask, t, s);
  if (options.causal !== undefined && typeof options.causal !== 'boolean') {
    fail(fn, `causal must be a boolean, got ${typeof options.causal}`);
  }
  if (!options.mask && !options.causal) return null;
  const causal = options.causal ? causalMask(t, s) : null;
  return Array.from({ length: t }, (_, i) =>
    Array.from(
      { length: s },
      (_, j) => (options.mask ? options.mask[i][j] : true) && (causal ? causal[i][j] : true),
    ),
  ); // (T, S)
}

/** Masked softmax stages over rows. */
export interface MaskedSoftmax {
  /** Scores with −∞ where masked, (T, S). */
  masked: Matrix;
  /** Row softmax of masked, (T, S); zero rows where fully masked. */
  weights: Matrix;
  /** Rows whose every key was masked. */
  fullyMaskedRows: number[];
}

/** Apply a mask to scores (T, S) and take a softmax over each row → (T, S). */
export function maskedSoftmax(scores: Matrix, mask: AttentionMask | null): MaskedSoftmax {
  const masked = scores.map((row, i) => row.map((x, j) => (mask && !mask[i][j] ? -Infinity : x))); // (T, S)
  const fullyMaskedRows: number[] = [];
  const weights = masked.map((row, i) => {
    if (row.every((x) => x === -Infinity)) fullyMaskedRows.push(i);
    return softmax(row).weights;
  }); // (T, S)
  return { masked, weights, fullyMaskedRows };
}
