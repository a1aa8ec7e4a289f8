/**
 * Kernel-check cases for the Linear layer and the plain product (see ../check.ts, ../matmul.ts): forward
 * values and the gradients w.r.t. every input, through tf.grads of Σ out ⊙ r with a random upstream r.
 * The untransposed versions add the same products in a different order (a copy instead of a stride), so
 * they differ from tfjs's by float32 rounding of sums over K ≤ 512 terms of O(1) values: 1e-4 absolute,
 * with dW and db summing over the N ≤ 200 rows as well.
 */
import * as tf from '../../tf';
import type { KernelCase } from './case';
import type { Activation } from '../matmul';

const TOL = 1e-4;

/** A seeded normal tensor (no kernel launch: tfjs draws it on the CPU). */
function normal(shape: number[], seed: number, std = 1): tf.Tensor {
  return tf.randomNormal(shape, 0, std, 'float32', seed);
}

/** Linear (N, inDim) → (N, outDim): y, dx, dW and (with a bias) db. */
function linearCase(N: number, inDim: number, outDim: number, bias: boolean, act: Activation): KernelCase {
  return {
    name: `linear (${N}, ${inDim}) → (${N}, ${outDim})${bias ? ' + b' : ''} ${act}`,
    kernel: 'linear',
    tol: TOL,
    run: (k) => {
      const x = normal([N, inDim], 11) as tf.Tensor2D; // (N, in)
      const w = normal([outDim, inDim], 12, inDim ** -0.5) as tf.Tensor2D; // (out, in) as PyTorch stores it
      const b = normal([outDim], 13, 0.1) as tf.Tensor1D; // (out)
      const r = normal([N, outDim], 14); // (N, out) upstream gradient
      if (!bias) {
        const f = (xs: tf.Tensor, ws: tf.Tensor): tf.Scalar =>
          tf.sum(tf.mul(k.linear(xs as tf.Tensor2D, ws as tf.Tensor2D, undefined, act), r)); // ()
        return [k.linear(x, w, undefined, act), ...tf.grads(f)([x, w])]; // y, dx, dW
      }
      const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(k.linear(xs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D, act), r)); // ()
      return [k.linear(x, w, b, act), ...tf.grads(f)([x, w, b])]; // y, dx, dW, db
    },
  };
}

/** a (M, K) @ b (K, N): the product and both gradients. */
function matMulCase(M: number, K: number, N: number): KernelCase {
  return {
    name: `matMul (${M}, ${K}) @ (${K}, ${N})`,
    kernel: 'matMul',
    tol: TOL,
    run: (k) => {
      const a = normal([M, K], 21) as tf.Tensor2D; // (M, K)
      const b = normal([K, N], 22, K ** -0.5) as tf.Tensor2D; // (K, N)
      const r = normal([M, N], 23); // (M, N) upstream gradient
      const f = (as: tf.Tensor, bs: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(k.matMul(as as tf.Tensor2D, bs as tf.Tensor2D), r)); // ()
      return [k.matMul(a, b), ...tf.grads(f)([a, b])]; // y, da, db
    },
  };
}

/** The model's shapes: qkv (no bias), FeedForward up (ReLU, in < out) and down (in > out), odd sizes. */
export const matmulCases: KernelCase[] = [
  linearCase(64, 32, 96, false, 'linear'), // tiny's qkv
  linearCase(64, 32, 128, true, 'relu'), // FeedForward up: transposes x for dW
  linearCase(64, 128, 32, true, 'linear'), // FeedForward down: transposes dY for dW
  linearCase(7, 5, 3, true, 'relu'), // odd sizes
  matMulCase(64, 96, 32), // the one-hot embedding
  matMulCase(3, 1, 5), // K = 1
];
