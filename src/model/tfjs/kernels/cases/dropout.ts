/**
 * Kernel-check cases for dropout (see ../check.ts): forward values and the gradient, at tolerance 0.
 *
 * What is compared. check.ts runs each case once with the active kernels and once with the portable ones
 * and takes the largest |difference|. The WGSL kernel computes the hash with exact u32 arithmetic, so it
 * must equal the integer replay (dropout-mask.ts) bit for bit. The portable tensor-op hash equals that replay
 * wherever float32 `mod` is exact (the CPU backend, see tests/unit/model/dropout.test.ts), but on WebGPU its
 * f32 `%` can be off by ±P when a value lies at or next to a multiple of P (kernels/dropout.ts): the final
 * residue then crosses the keep threshold only if it is within a few units of 0 or P, and ⌊r/P⌋ can be one
 * short on rows that are multiples of P. So the reference side (the run with the portable kernels) takes
 * the portable hash everywhere except on those documented elements (final residue < GUARD or ≥ P − GUARD,
 * about 0.4 %, and rows r ≡ 0 mod P), where it takes the exact replay's value instead. The active side is
 * never patched: every element of the WGSL output is compared, at tolerance 0, with the portable hash or the
 * exact replay. A wrong multiplier, key, row split or scale changes many elements and fails the case (a WGSL
 * build without the ⌊r/P⌋ term failed only the 8200-row case, max error 5.19); the reference still launches
 * the portable op chain, so the launch counts compare like with like. On SwiftShader the unpatched portable
 * hash already matched the WGSL kernel exactly in every case; the patch is for GPUs whose f32 division is
 * less exact.
 */
import * as tf from '../../tf';
import type { KernelCase } from './case';
import { portableKernels, type DropoutKey, type Kernels } from '../index';
import { dropoutHashValues, dropoutMaskValues, hashGrid, HASH_PRIME } from '../../../dropout-hash';

/** Distance from 0 or P within which the portable hash may round the final residue across the threshold. */
const GUARD = 8;

/** One dropout site to check: the tensor shape, the rate and the key. */
interface DropoutSpec {
  label: string;
  shape: number[];
  rate: number;
  key: DropoutKey;
}

const specs: DropoutSpec[] = [
  {
    label: 'attention (B, nh, T, T)',
    shape: [4, 8, 16, 16],
    rate: 0.14,
    key: { seed: 1337, step: 3, salt: 1 },
  },
  { label: 'odd sizes', shape: [3, 37, 33], rate: 0.5, key: { seed: 7, step: 0, salt: 6 } },
  {
    label: '8200 rows: ⌊r/P⌋ = 0, 1, 2',
    shape: [2, 4100, 3],
    rate: 0.14,
    key: { seed: 1337, step: 11, salt: 4 },
  },
  { label: 'cols > P: columns wrap', shape: [3, 4099], rate: 0.5, key: { seed: 42, step: 9, salt: 2 } },
];

/** 1 where the portable hash may differ from the exact replay on a float32 GPU backend (see above). */
function unreliable(shape: number[], key: DropoutKey): Uint8Array {
  const P = HASH_PRIME;
  const h = dropoutHashValues(shape, key);
  const { rows, cols } = hashGrid(shape);
  const out = new Uint8Array(h.length);
  for (let r = 0; r < rows; r++) {
    const rowAtMultiple = r > 0 && r % P === 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      out[i] = rowAtMultiple || h[i] < GUARD || h[i] >= P - GUARD ? 1 : 0;
    }
  }
  return out;
}

/** The case for one spec: [dropout(x), ∂ sum(dropout(x) · w) / ∂x] with seeded x, w of the spec's shape. */
function dropoutCase(s: DropoutSpec): KernelCase {
  return {
    name: `dropout ${s.label} (${s.shape.join(', ')}) rate ${s.rate}`,
    kernel: 'dropout',
    tol: 0,
    run(k: Kernels): tf.Tensor[] {
      const x = tf.randomNormal(s.shape, 0, 1, 'float32', 1); // (...shape)
      const w = tf.randomNormal(s.shape, 0, 1, 'float32', 2); // (...shape)
      const drop = (t: tf.Tensor): tf.Tensor => k.dropout(t, s.rate, s.key); // (...shape)
      let y = drop(x); // (...shape)
      let g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(drop(t), w)))(x); // (...shape) = w · mask
      if (k.dropout === portableKernels.dropout) {
        const patch = tf.tensor(unreliable(s.shape, s.key), s.shape, 'bool'); // (...shape)
        const mask = tf.tensor(dropoutMaskValues(s.shape, s.rate, s.key), s.shape); // (...shape) exact
        y = tf.where(patch, tf.mul(x, mask), y); // (...shape)
        g = tf.where(patch, tf.mul(w, mask), g); // (...shape)
      }
      return [y, g];
    },
  };
}

/** Dropout cases: a few shapes (odd sizes, ≥ 4091 rows, > 4091 columns) at rates 0.14 and 0.5. */
export const dropoutCases: KernelCase[] = specs.map(dropoutCase);
