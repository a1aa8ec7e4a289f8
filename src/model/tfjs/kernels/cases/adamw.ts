/**
 * Kernel-check cases for the AdamW update (see ../check.ts): the new packed state [p'; m'; v'] from the
 * active adamwUpdate against adamwUpdateOps, on seeded state and gradients, with and without a keep mask.
 *
 * Tolerance. Both sides run the same float32 operations in the same order on the same float32 scalars, so
 * they can differ only where a compiler contracts a·b + c into one fused multiply-add (one rounding instead
 * of two) or where sqrt and division are not correctly rounded: a few ulp of the largest output. p is drawn
 * in [−2, 2) (ulp 2.4e-7), m and v are smaller, and the update itself is ~lr: 1e-6 allows about 4 ulp of p,
 * i.e. 1e-6 relative to the largest value. A wrong scalar, bias correction or order of p, m, v changes
 * outputs by ~lr·1e-1 or more and fails the case.
 */
import * as tf from '../../tf';
import type { KernelCase } from './case';
import { adamwScalars, type AdamWScalars } from '../../../adamw-scalars';

/** Absolute tolerance on p', m', v' (see the top of the file). */
const TOL = 1e-6;

/** One check: n elements at step t; `keepEvery` > 0 zeroes keep on every keepEvery-th element. */
interface AdamWSpec {
  label: string;
  n: number;
  t: number;
  lr: number;
  weightDecay: number;
  keepEvery: number;
}

const specs: AdamWSpec[] = [
  { label: 'tiny preset, step 1', n: 32544, t: 1, lr: 1e-3, weightDecay: 0.01, keepEvery: 0 },
  { label: 'step 1000, lr 3e-4, wd 0.1', n: 32544, t: 1000, lr: 3e-4, weightDecay: 0.1, keepEvery: 0 },
  { label: 'odd n, partial gradients (keep)', n: 1001, t: 3, lr: 1e-2, weightDecay: 0.01, keepEvery: 3 },
  { label: 'n = 1', n: 1, t: 2, lr: 1e-3, weightDecay: 0.01, keepEvery: 0 },
];

/** The step's scalars as AdamW computes them (double precision, PyTorch's β and ε). */
function scalarsFor(s: AdamWSpec): AdamWScalars {
  return adamwScalars({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: s.weightDecay }, s.lr, s.t);
}

/** The case for one spec: adamwUpdate(state, g, scalars, keep?) → (3n). */
function adamwCase(s: AdamWSpec): KernelCase {
  return {
    name: `adamwUpdate ${s.label} (n ${s.n})`,
    kernel: 'adamwUpdate',
    tol: TOL,
    run: (k) => {
      const p = tf.randomUniform([s.n], -2, 2, 'float32', 1); // (n)
      const m = tf.randomNormal([s.n], 0, 0.05, 'float32', 2); // (n)
      const v = tf.randomUniform([s.n], 0, 1e-3, 'float32', 3); // (n) non-negative, like g² averages
      const g = tf.randomNormal([s.n], 0, 0.1, 'float32', 4) as tf.Tensor1D; // (n)
      const state = tf.concat([p, m, v]) as tf.Tensor1D; // (3n)
      const keep =
        s.keepEvery > 0
          ? tf.tensor1d(Float32Array.from({ length: s.n }, (_, i) => (i % s.keepEvery === 0 ? 0 : 1))) // (n)
          : undefined;
      return [k.adamwUpdate(state, g, scalarsFor(s), keep)]; // (3n)
    },
  };
}

/** AdamW cases: the tiny preset's size at an early and a late step, an odd size with a keep mask, n = 1. */
export const adamwCases: KernelCase[] = specs.map(adamwCase);
