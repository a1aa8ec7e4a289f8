/**
 * The dropout mask's counter hash, engine-neutral: the keys of a (seed, step, salt), the hash replayed with
 * plain integer arithmetic in JavaScript, and the scaled keep mask. Every engine draws the same masks: the
 * tfjs tensor-op hash (tfjs/kernels/dropout.ts, whose doc comment explains the arithmetic) is bit-identical
 * to this on backends with exact float32 `mod` (the CPU), and the WGSL kernels must match it bit for bit.
 */

/** The prime modulus; P² = 16 736 281 < 2²⁴ keeps every product of two residues exact in float32. */
export const HASH_PRIME = 4091;
const P = HASH_PRIME;
const A1 = 2039; // c·A1 + r·B1 + k1 < 4091·(2039 + 1093) + 4091 < 2²⁴
const B1 = 1093;
const E = 1777; // h·E + c·A2 + r·B2 + q·R2 + k2 < 4092·(1777 + 1031 + 677 + 613) + 4091 < 2²⁴
const A2 = 1031;
const B2 = 677;
const R2 = 613;

/** The hash's multipliers, exported so tests can replay the hash with plain integer arithmetic. */
export const HASH_MULTIPLIERS = { A1, B1, E, A2, B2, R2 } as const;

/** What makes one dropout mask distinct: the run seed, the optimiser step and a per-site salt. */
export interface DropoutKey {
  seed: number;
  step: number;
  salt: number;
}

/** Murmur3's 32-bit finaliser: a fast, well-mixed integer hash. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The two hash keys (residues mod P) for a dropout call. */
export function dropoutKeys(key: DropoutKey): [number, number] {
  const h1 = fmix32((key.seed >>> 0) ^ fmix32((key.step >>> 0) ^ fmix32(key.salt + 0x9e3779b9)));
  const h2 = fmix32(h1 ^ 0x7f4a7c15);
  return [h1 % P, h2 % P];
}

/** x³ mod P for a residue x < P (every intermediate < P² < 2⁵³, so exact in JS numbers). */
function cubeMod(h: number): number {
  return (((h * h) % P) * h) % P;
}

/** The (rows, cols) view of a shape that the hash uses: cols is the last axis, rows everything before it. */
export function hashGrid(shape: number[]): { rows: number; cols: number } {
  const cols = shape.length ? shape[shape.length - 1] : 1;
  const size = shape.reduce((a, b) => a * b, 1);
  return { rows: cols ? size / cols : 0, cols };
}

/** The final hash residue (0 ≤ h < P) of every element, row-major; an element is kept iff h ≥ round(rate·P). */
export function dropoutHashValues(shape: number[], key: DropoutKey): Uint16Array {
  const { rows, cols } = hashGrid(shape);
  const [k1, k2] = dropoutKeys(key);
  const out = new Uint16Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const rLow = r % P;
    const row1 = rLow * B1 + k1;
    const row2 = rLow * B2 + (Math.floor(r / P) % P) * R2 + k2;
    for (let c = 0; c < cols; c++) {
      const cc = c % P;
      const h = cubeMod((cc * A1 + row1) % P);
      out[r * cols + c] = cubeMod((h * E + cc * A2 + row2) % P);
    }
  }
  return out;
}

/** The drop threshold on the hash residue: round(rate·P) (the drop probability is quantised to 1/P). */
export function dropoutThreshold(rate: number): number {
  return Math.round(rate * P);
}

/** The scaled keep mask, exactly as hashDropoutMask computes it: 1/(1 − rate) (float32) where kept, 0 where dropped. */
export function dropoutMaskValues(shape: number[], rate: number, key: DropoutKey): Float32Array {
  const h = dropoutHashValues(shape, key);
  const threshold = dropoutThreshold(rate);
  const scale = Math.fround(1 / (1 - rate));
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) out[i] = h[i] >= threshold ? scale : 0;
  return out;
}
