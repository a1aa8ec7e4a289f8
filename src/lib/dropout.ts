/**
 * Inverted dropout. In training each element is kept with probability 1 − p and survivors are scaled by
 * 1/(1 − p), so the expected value is unchanged; at eval it is the identity.
 * p may be anywhere in [0, 1]: p = 0 keeps everything (scale 1); p = 1 drops everything and returns zeros
 * (scale reported as 0), exactly as torch.nn.functional.dropout(p=1) does. Outside [0, 1] throws.
 */
import type { Rng } from './rng';
import { checkMatrix, checkRange, checkVector, fail } from './validate';

/** Dropout stages for a vector (n) or a matrix (rows, cols): same shape throughout. */
export interface DropoutStages<T> {
  input: T;
  /** true = kept. */
  mask: T extends number[][] ? boolean[][] : boolean[];
  /** 1/(1 − p) in training (0 when p = 1), 1 at eval. */
  scale: number;
  /** input ⊙ mask · scale. */
  output: T;
}

/** Draw a keep-mask of length n: element i is kept when rng.next() >= p (probability 1 − p). */
export function dropoutMask(n: number, p: number, rng: Rng): boolean[] {
  if (!Number.isInteger(n) || n < 1) fail('dropoutMask', `n must be an integer >= 1, got ${n}`);
  checkRange('dropoutMask', 'p', p, 0, 1);
  if (!rng || typeof rng.next !== 'function') fail('dropoutMask', 'rng must be an Rng (createRng(seed))');
  return Array.from({ length: n }, () => rng.next() >= p); // (n)
}

/** Options: training (default true), and either a given mask (same shape as x) or an rng to draw one. */
export interface DropoutOptions<M> {
  training?: boolean;
  mask?: M;
  rng?: Rng;
}

/** Inverted dropout of x (n) or (rows, cols) with drop probability p ∈ [0, 1] → same shape, with stages. */
export function dropout(x: number[], p: number, options?: DropoutOptions<boolean[]>): DropoutStages<number[]>;
export function dropout(
  x: number[][],
  p: number,
  options?: DropoutOptions<boolean[][]>,
): DropoutStages<number[][]>;
export function dropout(
  x: number[] | number[][],
  p: number,
  options: DropoutOptions<boolean[] | boolean[][]> = {},
): DropoutStages<number[]> | DropoutStages<number[][]> {
  const fn = 'dropout';
  checkRange(fn, 'p', p, 0, 1);
  const isMatrix = Array.isArray(x) && Array.isArray(x[0]);
  const [rows, cols] = isMatrix
    ? checkMatrix(fn, 'x', x as number[][])
    : [1, checkVector(fn, 'x', x as number[])];
  const flat = isMatrix ? (x as number[][]).flat() : (x as number[]).slice(); // (rows·cols)
  const training = options.training ?? true;
  let keep: boolean[]; // (rows·cols)
  if (!training) keep = flat.map(() => true);
  else if (options.mask !== undefined) {
    const m = options.mask;
    const ok = isMatrix
      ? Array.isArray(m) && m.length === rows && m.every((r) => Array.isArray(r) && r.length === cols)
      : Array.isArray(m) && m.length === cols && m.every((b) => typeof b === 'boolean');
    if (!ok)
      fail(fn, `mask must be booleans of the same shape as x, (${isMatrix ? `${rows}, ${cols}` : cols})`);
    keep = isMatrix ? (m as boolean[][]).flat() : (m as boolean[]).slice();
  } else if (options.rng) keep = dropoutMask(flat.length, p, options.rng);
  else fail(fn, 'training dropout needs options.rng or options.mask');
  const scale = !training ? 1 : p === 1 ? 0 : 1 / (1 - p);
  const out = flat.map((v, i) => (keep[i] ? v * scale : 0)); // (rows·cols)
  if (!isMatrix) return { input: flat, mask: keep, scale, output: out };
  const reshape = <T>(a: T[]) => Array.from({ length: rows }, (_, i) => a.slice(i * cols, (i + 1) * cols));
  return { input: reshape(flat), mask: reshape(keep), scale, output: reshape(out) };
}
