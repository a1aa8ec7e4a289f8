import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { checkKernels } from '../../../../src/model/tfjs/kernels/check';
import { fusedCases } from '../../../../src/model/tfjs/kernels/cases/fused';
import {
  causalSoftmaxOps,
  layerNormOps,
  registerKernels,
  unregisterKernels,
  type Kernels,
} from '../../../../src/model/tfjs/kernels';
import { useCpuBackend } from './tf-backend';

/** The function tf.customGrad takes (tfjs-core does not export its type). */
type CustomGradFunc = Parameters<typeof tf.customGrad>[0];

beforeAll(useCpuBackend);
afterEach(() => unregisterKernels('cpu'));

/** A float64 result rounded once to a float32 tensor. */
function f32(values: Float64Array, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(values), shape);
}

/** The identity with a zero gradient (a deliberately wrong backward). */
const detach = tf.customGrad(((t: tf.Tensor) => ({
  value: tf.clone(t),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as CustomGradFunc);

/**
 * LayerNorm in float64 with the fused WGSL kernels' backward formulas (kernels/webgpu/layer-norm.ts):
 * x̂ = (x − mean)·rstd, g = dy·gamma, dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), dgamma = Σ dy·x̂, dbeta = Σ dy.
 */
function layerNormF64(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const C = x.shape[x.rank - 1];
  const stats = (xs: Float32Array | Int32Array | Uint8Array, r: number): [number, number] => {
    let mean = 0;
    for (let c = 0; c < C; c++) mean += xs[r * C + c] / C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (xs[r * C + c] - mean) ** 2 / C;
    return [mean, 1 / Math.sqrt(v + eps)];
  };
  const op = tf.customGrad(((xIn: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const [xs, gs, bs] = [xIn.dataSync(), g.dataSync(), b.dataSync()];
    const rows = xs.length / C;
    const y = new Float64Array(xs.length);
    for (let r = 0; r < rows; r++) {
      const [mean, rstd] = stats(xs, r);
      for (let c = 0; c < C; c++) y[r * C + c] = (xs[r * C + c] - mean) * rstd * gs[c] + bs[c];
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const d = dy.dataSync();
      const [dx, dg, db] = [new Float64Array(xs.length), new Float64Array(C), new Float64Array(C)];
      for (let r = 0; r < rows; r++) {
        const [mean, rstd] = stats(xs, r);
        let [mg, mgx] = [0, 0];
        for (let c = 0; c < C; c++) {
          const xhat = (xs[r * C + c] - mean) * rstd;
          const gc = d[r * C + c] * gs[c];
          mg += gc / C;
          mgx += (gc * xhat) / C;
          dg[c] += d[r * C + c] * xhat;
          db[c] += d[r * C + c];
        }
        for (let c = 0; c < C; c++) {
          const xhat = (xs[r * C + c] - mean) * rstd;
          dx[r * C + c] = rstd * (d[r * C + c] * gs[c] - mg - xhat * mgx);
        }
      }
      return [f32(dx, xIn.shape), f32(dg, [C]), f32(db, [C])];
    };
    return { value: f32(y, xIn.shape), gradFunc };
  }) as CustomGradFunc);
  return op(x, gamma, beta);
}

/** softmax(scores·scale + mask) in float64 with the fused backward: dscores = scale·w ⊙ (dw − Σ dw·w). */
function causalSoftmaxF64(scores: tf.Tensor4D, scale: number, mask: tf.Tensor2D): tf.Tensor4D {
  const T = scores.shape[3];
  const op = tf.customGrad(((s: tf.Tensor) => {
    const [ss, ms] = [s.dataSync(), mask.dataSync()];
    const w = new Float64Array(ss.length);
    for (let r = 0; r < ss.length / T; r++) {
      const z = Array.from({ length: T }, (_, c) => ss[r * T + c] * scale + ms[(r % T) * T + c]);
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) => (w[r * T + c] = v / sum));
    }
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const d = dy.dataSync();
      const ds = new Float64Array(ss.length);
      for (let r = 0; r < ss.length / T; r++) {
        let dot = 0;
        for (let c = 0; c < T; c++) dot += d[r * T + c] * w[r * T + c];
        for (let c = 0; c < T; c++) ds[r * T + c] = scale * w[r * T + c] * (d[r * T + c] - dot);
      }
      return f32(ds, s.shape);
    };
    return { value: f32(w, s.shape), gradFunc };
  }) as CustomGradFunc);
  return op(scores) as tf.Tensor4D;
}

describe('kernel check of the fused cases on the CPU backend', () => {
  test('has LayerNorm and causal-softmax cases', () => {
    expect(fusedCases.filter((c) => c.kernel === 'layerNorm').length).toBeGreaterThanOrEqual(8);
    expect(fusedCases.filter((c) => c.kernel === 'causalSoftmax').length).toBeGreaterThanOrEqual(4);
  });

  test('with nothing registered the active kernels are the portable ones: error 0, same launches', async () => {
    const results = await checkKernels(fusedCases);
    expect(results).toHaveLength(fusedCases.length);
    for (const r of results) {
      expect(r, r.name).toMatchObject({ backend: 'cpu', fused: false, maxAbsErr: 0, ok: true });
      expect(r.kernelsActive, r.name).toBe(r.kernelsPortable);
      expect(r.kernelsPortable, r.name).toBeGreaterThan(0);
    }
  });

  test('leaves no tensors behind (the worker runs it on demand)', async () => {
    await checkKernels(fusedCases.slice(0, 2)); // first run may create lazily cached tensors
    const before = tf.memory().numTensors;
    await checkKernels(fusedCases.slice(0, 2));
    expect(tf.memory().numTensors).toBe(before);
  });

  test('the float64 twins of the fused algorithms are within half of every tolerance', async () => {
    registerKernels('cpu', { layerNorm: layerNormF64, causalSoftmax: causalSoftmaxF64 });
    for (const r of await checkKernels(fusedCases)) {
      expect(r.fused, r.name).toBe(true);
      expect(r.maxAbsErr, r.name).toBeLessThanOrEqual(r.tol / 2);
    }
  });

  const wrong: [string, keyof Kernels, Partial<Kernels>][] = [
    ['LayerNorm with the wrong epsilon', 'layerNorm', { layerNorm: (x, g, b) => layerNormOps(x, g, b, 0.1) }],
    [
      'LayerNorm without the beta gradient',
      'layerNorm',
      { layerNorm: (x, g, b, eps) => layerNormOps(x, g, detach(b), eps) },
    ],
    [
      'softmax without the mask',
      'causalSoftmax',
      { causalSoftmax: (s, scale, m) => causalSoftmaxOps(s, scale, tf.zerosLike(m)) },
    ],
    [
      'softmax with the wrong scale',
      'causalSoftmax',
      { causalSoftmax: (s, scale, m) => causalSoftmaxOps(s, scale * 1.01, m) },
    ],
  ];
  test.each(wrong)('a kernel computing %s fails the check', async (_, kernel, impl) => {
    registerKernels('cpu', impl);
    const results = (await checkKernels(fusedCases)).filter((r) => r.kernel === kernel);
    expect(results.some((r) => !r.ok)).toBe(true);
  });
});
