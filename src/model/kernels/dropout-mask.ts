/**
 * The dropout hash of ./dropout.ts replayed with plain integer arithmetic in JavaScript: the exact twin of
 * the tensor-op version (bit-identical on backends with exact float32 `mod`, such as the CPU) and the
 * reference the WGSL kernel (./webgpu/dropout.ts) must match bit for bit. The CPU backend uses it as its
 * dropout: the mask is built in JS and wrapped as a tensor, which on the CPU backend costs no upload.
 */
import * as tf from '../tf';
import { dropoutKeys, HASH_MULTIPLIERS, HASH_PRIME, type DropoutKey } from './dropout';

const P = HASH_PRIME;
const { A1, B1, E, A2, B2, R2 } = HASH_MULTIPLIERS;

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

/**
 * Inverted dropout with the mask built in JS (the CPU backend's dropout: no tensor ops to build the mask,
 * no upload). Values and gradient equal hashDropout's on the CPU backend; the gradient reuses the mask.
 */
export const maskDropout = tf.op({
  maskDropout_(x: tf.Tensor, rate: number, key: DropoutKey): tf.Tensor {
    if (rate === 0) return x;
    const mask = tf.tensor(dropoutMaskValues(x.shape, rate, key), x.shape, 'float32'); // (...x.shape)
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([mask]);
      return {
        value: tf.mul(t, mask), // (...x.shape)
        gradFunc: (dy: tf.Tensor, [m]: tf.Tensor[]) => tf.mul(dy, m), // (...x.shape)
      };
    });
    return f(x);
  },
});
