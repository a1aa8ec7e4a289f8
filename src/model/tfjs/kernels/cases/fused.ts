/**
 * Kernel-check cases for LayerNorm and the causal softmax (see ../check.ts): forward values and the
 * gradients w.r.t. every differentiable input, through tf.grads of Σ out ⊙ r with a random upstream r.
 *
 * Tolerances are float32 rounding with a margin, not slack. Every output is a short chain of operations on
 * O(1) inputs, but the kernels reduce in a different order than tfjs's ops (row sums over C or T terms; the
 * dgamma, dbeta sums over all R rows, of magnitude ~√R). Against float64 twins of the same algorithms the
 * portable ops on the CPU backend err by at most 7.2e-7 on y, dx, 6e-8 on softmax weights and dscores and
 * 3.8e-6 (R = 128, 256) to 7.6e-6 (R = 1000) on dgamma, dbeta (tests/unit/model/kernels-check.test.ts keeps
 * every case within half its tolerance). So: 1e-5 for y and dx, 2e-6 for the softmax and its gradient, and
 * max(1e-5, 4e-6·√R) for dgamma and dbeta.
 */
import * as tf from '../../tf';
import type { KernelCase } from './case';
import { MASK_VALUE } from '../../../params';

/** PyTorch's nn.LayerNorm epsilon, as the model uses it. */
const EPS = 1e-5;
/** Absolute tolerance for LayerNorm's y and dx (see the top of the file). */
const TOL = 1e-5;
/** Absolute tolerance for the softmax weights and dscores. */
const SOFTMAX_TOL = 2e-6;

/** A seeded normal tensor (no kernel launch: tfjs draws it on the CPU). */
function normal(shape: number[], seed: number, std = 1, mean = 0): tf.Tensor {
  return tf.randomNormal(shape, mean, std, 'float32', seed);
}

/** LayerNorm cases for x of `shape`: one for y and dx, one for dgamma and dbeta. */
function layerNormCases(shape: number[]): KernelCase[] {
  const C = shape[shape.length - 1];
  const rows = shape.reduce((a, b) => a * b, 1) / C;
  const grads = (k: Parameters<KernelCase['run']>[0]): tf.Tensor[] => {
    // Off-centre, wide inputs so the mean and variance matter; gamma near 1 and beta near 0 as trained.
    const x = normal(shape, 1, 2, 0.5); // (..., C)
    const gamma = normal([C], 2, 0.2, 1); // (C)
    const beta = normal([C], 3, 0.2); // (C)
    const r = normal(shape, 4); // (..., C) upstream gradient
    const f = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(k.layerNorm(xs, g, b, EPS), r)); // ()
    return [k.layerNorm(x, gamma, beta, EPS), ...tf.grads(f)([x, gamma, beta])]; // y, dx, dgamma, dbeta
  };
  const name = `layerNorm (${shape.join(', ')})`;
  return [
    { name: `${name} y, dx`, kernel: 'layerNorm', tol: TOL, run: (k) => grads(k).slice(0, 2) },
    {
      name: `${name} dgamma, dbeta`,
      kernel: 'layerNorm',
      tol: Math.max(TOL, 4e-6 * Math.sqrt(rows)),
      run: (k) => grads(k).slice(2),
    },
  ];
}

/** The model's additive causal mask for T positions: 0 on and below the diagonal, MASK_VALUE above. */
function causalMask(T: number): tf.Tensor2D {
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) m[i * T + j] = MASK_VALUE;
  return tf.tensor2d(m, [T, T]); // (T, T)
}

/** Causal-softmax case for scores (B, H, T, T), the mask sliced from a larger one as the model does. */
function causalSoftmaxCase(B: number, H: number, T: number, headSize: number): KernelCase {
  return {
    name: `causalSoftmax (${B}, ${H}, ${T}, ${T}) head ${headSize}`,
    kernel: 'causalSoftmax',
    tol: SOFTMAX_TOL,
    run: (k) => {
      const scale = headSize ** -0.5;
      const scores = normal([B, H, T, T], 5, Math.sqrt(headSize)) as tf.Tensor4D; // (B, H, T, T) like q·kᵀ
      const mask = tf.slice(causalMask(T + 3), [0, 0], [T, T]); // (T, T)
      const r = normal([B, H, T, T], 6); // (B, H, T, T) upstream gradient
      const f = (s: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(k.causalSoftmax(s as tf.Tensor4D, scale, mask), r)); // ()
      return [k.causalSoftmax(scores, scale, mask), ...tf.grads(f)([scores])]; // weights, dscores
    },
  };
}

/** LayerNorm and causal-softmax cases: tiny-preset and notes-like shapes, T = 1 and odd sizes. */
export const fusedCases: KernelCase[] = [
  ...layerNormCases([8, 32, 32]), // tiny preset: B·T = 256 rows, C = 32
  ...layerNormCases([2, 64, 512]), // notes' C = 512 (128 rows to keep SwiftShader quick)
  ...layerNormCases([3, 1, 32]), // T = 1
  ...layerNormCases([5, 7, 33]), // odd rows (35, not a whole number of 32-row chunks) and odd C
  ...layerNormCases([1000, 130]), // C > 128 (two columns per thread), 1000 rows
  causalSoftmaxCase(8, 2, 32, 16), // tiny preset
  causalSoftmaxCase(1, 8, 128, 64), // notes: block 128, 8 heads of 64
  causalSoftmaxCase(2, 2, 1, 16), // T = 1
  causalSoftmaxCase(3, 3, 7, 5), // odd sizes
  causalSoftmaxCase(1, 1, 200, 16), // T > 128 (two columns per thread)
];
