/**
 * The untransposed Linear and product (src/model/tfjs/kernels/matmul.ts, what wasm registers) compute what
 * tfjs's flagged products compute, values and gradients, through the kernel check on the CPU backend.
 */
import { afterEach, beforeAll, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { checkKernels } from '../../../../src/model/tfjs/kernels/check';
import { matmulCases } from '../../../../src/model/tfjs/kernels/cases/matmul';
import {
  registerKernels,
  unregisterKernels,
  untransposedLinear,
  untransposedMatMul,
} from '../../../../src/model/tfjs/kernels';
import { useCpuBackend } from './tf-backend';

beforeAll(useCpuBackend);
afterEach(() => unregisterKernels('cpu'));

test('untransposedLinear and untransposedMatMul match tfjs’s products and gradients on every case', async () => {
  registerKernels('cpu', { linear: untransposedLinear, matMul: untransposedMatMul });
  const results = await checkKernels(matmulCases);
  expect(results.map((r) => r.kernel).sort()).toEqual([...matmulCases.map((c) => c.kernel)].sort());
  for (const r of results) {
    expect(r.fused, `${r.name} ran the untransposed version`).toBe(true);
    expect(r.maxAbsErr, r.name).toBeLessThanOrEqual(r.tol);
  }
});

/** The identity with a zero gradient (a deliberately wrong backward). */
const detach = tf.customGrad(((t: tf.Tensor) => ({
  value: tf.clone(t),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as Parameters<typeof tf.customGrad>[0]);

test('the check catches a wrong gradient: a Linear whose weight gradient is zero fails', async () => {
  const noWeightGrad = (
    x: tf.Tensor2D,
    w: tf.Tensor2D,
    bias: tf.Tensor1D | undefined,
    act: 'linear' | 'relu',
  ): tf.Tensor2D => untransposedLinear(x, detach(w) as tf.Tensor2D, bias, act);
  registerKernels('cpu', { linear: noWeightGrad });
  const results = await checkKernels(matmulCases.filter((c) => c.kernel === 'linear'));
  expect(results.every((r) => r.maxAbsErr > r.tol)).toBe(true);
});

test('untransposedLinear leaves no tensors behind', () => {
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const x = tf.ones([4, 3]) as tf.Tensor2D;
    const w = tf.ones([2, 3]) as tf.Tensor2D;
    const b = tf.zeros([2]) as tf.Tensor1D;
    tf.grads((xs: tf.Tensor, ws: tf.Tensor) =>
      tf.sum(untransposedLinear(xs as tf.Tensor2D, ws as tf.Tensor2D, b, 'relu')),
    )([x, w]);
  });
  expect(tf.memory().numTensors).toBe(before);
});
