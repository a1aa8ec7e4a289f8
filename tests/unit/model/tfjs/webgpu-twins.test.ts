import { beforeAll, describe, expect, test } from 'vitest';
import { adamwScalars } from '../../../../src/model/adamw-scalars';
import * as tf from '@tensorflow/tfjs-core';
import { loadParityGolden, useCpuBackend } from './tf-backend';
import { referenceStep, dropSite } from '../../../../src/model/webgpu/reference';
import * as K from '../../../../src/model/webgpu/twins';
import { createTfjsEngine as createEngine, lossAndGradients } from '../../../../src/model/tfjs/engine';
import { hashAt, hashKeys, MUL, P } from '../../../../src/model/webgpu/hash';
import {
  dropoutHashValues,
  dropoutKeys,
  HASH_MULTIPLIERS,
  HASH_PRIME,
} from '../../../../src/model/dropout-hash';
import { layerNormOps } from '../../../../src/model/tfjs/kernels';
import { createRng } from '../../../../src/lib/rng';
import type { GPTConfig } from '../../../../src/model/config';

const golden = loadParityGolden();
const params = new Map(Object.entries(golden.params).map(([n, t]) => [n, Float32Array.from(t.data)]));
const B = golden.idx.length;

function batch(T: number): { x: Int32Array; y: Int32Array } {
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      x[b * T + t] = golden.idx[b][t];
      y[b * T + t] = golden.targets[b][t];
    }
  }
  return { x, y };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function randn(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => rng.normal(0, 1));
}

describe('the WebGPU engine’s CPU twins, composed as the engine runs them, match the notes’ PyTorch model', () => {
  const T = golden.idx[0].length;
  const { x, y } = batch(T);
  const r = referenceStep(golden.config, params, x, y, B, T);

  test('logits (B, T, V) within 1e-4', () => {
    expect(maxDiff(r.logits, golden.logits.data)).toBeLessThanOrEqual(1e-4);
  });
  test('loss within 1e-4 relative', () => {
    expect(Math.abs(r.loss - golden.loss) / golden.loss).toBeLessThanOrEqual(1e-4);
  });
  test.each(Object.keys(golden.grads))('gradient of %s within 1e-4', (name) => {
    expect(maxDiff(r.grads.get(name)!, golden.grads[name].data)).toBeLessThanOrEqual(1e-4);
  });
  test('logits for T < block_size', () => {
    const Ts = golden.logitsShort.shape[1];
    const s = batch(Ts);
    const rs = referenceStep(golden.config, params, s.x, null, B, Ts);
    expect(maxDiff(rs.logits, golden.logitsShort.data)).toBeLessThanOrEqual(1e-4);
  });
  test('two AdamW steps reach PyTorch’s parameters', () => {
    const p = new Map([...params].map(([n, a]) => [n, a.slice()]));
    const m = new Map([...params].map(([n, a]) => [n, new Float32Array(a.length)]));
    const v = new Map([...params].map(([n, a]) => [n, new Float32Array(a.length)]));
    const { lr, beta1, beta2, eps, weightDecay } = golden.adamw;
    for (let t = 1; t <= 2; t++) {
      const g = referenceStep(golden.config, p, x, y, B, T).grads;
      const s = adamwScalars({ beta1, beta2, eps, weightDecay }, lr, t);
      for (const [n, a] of p) K.adamwStep(a, g.get(n)!, m.get(n)!, v.get(n)!, s);
    }
    let worst = 0;
    for (const [n, t] of Object.entries(golden.paramsAfterTwoSteps))
      worst = Math.max(worst, maxDiff(p.get(n)!, t.data));
    expect(worst).toBeLessThanOrEqual(1e-4);
  });
});

describe('twins against the tfjs engine’s own pieces', () => {
  beforeAll(useCpuBackend);

  test('the hash constants and keys equal the tfjs dropout’s', () => {
    expect(P).toBe(HASH_PRIME);
    expect(MUL).toEqual(HASH_MULTIPLIERS);
    for (const [seed, step, salt] of [
      [1337, 0, 0],
      [7, 41, 9],
      [0xffffffff, 123456, 30],
    ]) {
      expect(hashKeys(seed, step, salt)).toEqual(dropoutKeys({ seed, step, salt }));
    }
  });

  test.each([[[3, 2, 5, 5]], [[7, 33]], [[4100, 3]]])(
    'dropout residues for shape %j equal dropoutHashValues',
    (shape) => {
      const key = { seed: 1337, step: 3, salt: 5 };
      const [k1, k2] = hashKeys(key.seed, key.step, key.salt);
      const want = dropoutHashValues(shape, key);
      const cols = shape[shape.length - 1];
      let bad = 0;
      for (let i = 0; i < want.length; i++)
        if (hashAt(Math.floor(i / cols), i % cols, k1, k2) !== want[i]) bad++;
      expect(bad).toBe(0);
    },
  );

  test.each([
    [5, 7],
    [1, 32],
    [9, 129],
  ])('layerNorm forward (%i, %i) equals the portable tfjs op', (rows, C) => {
    const xv = randn(rows * C, rows + C);
    const g = randn(C, 3);
    const b = randn(C, 4);
    const want = tf.tidy(() =>
      layerNormOps(tf.tensor2d(xv, [rows, C]), tf.tensor1d(g), tf.tensor1d(b), 1e-5).dataSync(),
    );
    expect(maxDiff(K.layerNormForward(xv, g, b, rows, C, 1e-5).y, want)).toBeLessThanOrEqual(1e-5);
  });

  test('layerNorm backward equals tfjs’s gradient of the portable op', () => {
    const [rows, C] = [6, 10];
    const xv = randn(rows * C, 1);
    const g = randn(C, 2);
    const b = randn(C, 3);
    const dy = randn(rows * C, 4);
    const [dx, dg, db] = tf.tidy(() =>
      tf
        .grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(layerNormOps(a, gg, bb, 1e-5), tf.tensor2d(dy, [rows, C]))),
        )([tf.tensor2d(xv, [rows, C]), tf.tensor1d(g), tf.tensor1d(b)])
        .map((t) => t.dataSync()),
    );
    const f = K.layerNormForward(xv, g, b, rows, C, 1e-5);
    const r = K.layerNormBackward(dy, xv, f.mean, f.rstd, g, rows, C);
    expect(maxDiff(r.dx, dx)).toBeLessThanOrEqual(1e-4);
    expect(maxDiff(r.dg, dg)).toBeLessThanOrEqual(1e-4);
    expect(maxDiff(r.db, db)).toBeLessThanOrEqual(1e-4);
  });

  test('attention backward with dropout equals finite differences of the forward', () => {
    const s = { B: 2, T: 5, H: 2, hs: 3 };
    const cfg = { ...golden.config, dropout: 0.3, seed: 11 } as GPTConfig;
    const drop = dropSite(cfg, 4, 1, 0);
    const qkv = randn(s.B * s.T * 3 * s.H * s.hs, 9);
    const dy = randn(s.B * s.T * s.H * s.hs, 10);
    const f = K.attentionForward(qkv, s, drop);
    const dq = K.attentionBackward(dy, qkv, f.y, f.lse, s, drop);
    const objective = (q: Float32Array): number => {
      const o = K.attentionForward(q, s, drop).y;
      let sum = 0;
      for (let i = 0; i < o.length; i++) sum += o[i] * dy[i];
      return sum;
    };
    const h = 1e-2;
    for (const i of [0, 7, 13, 29, 44, 59]) {
      const plus = qkv.slice();
      const minus = qkv.slice();
      plus[i] += h;
      minus[i] -= h;
      expect(dq[i]).toBeCloseTo((objective(plus) - objective(minus)) / (2 * h), 2);
    }
  });
});

describe('with dropout, the twins draw the tfjs engine’s masks', () => {
  beforeAll(useCpuBackend);

  test.each([0, 3])(
    'loss and gradients at step %i equal the tfjs engine’s on the CPU backend',
    async (step) => {
      const cfg: GPTConfig = { ...golden.config, dropout: 0.25, seed: 5 };
      const T = golden.idx[0].length;
      const { x, y } = batch(T);
      const weights = new Map([...params].map(([n, d]) => [n, { shape: golden.params[n].shape, data: d }]));
      const engine = createEngine(cfg, { weights });
      const want = { loss: NaN, grads: new Map<string, ArrayLike<number>>() };
      tf.tidy(() => {
        const r = lossAndGradients(engine.gpt, { x, y, batchSize: B, blockSize: T }, step);
        want.loss = r.loss.dataSync()[0];
        for (const [n, g] of r.grads) want.grads.set(n, g.dataSync().slice());
      });
      engine.dispose();
      const got = referenceStep(cfg, params, x, y, B, T, { training: true, step });
      expect(Math.abs(got.loss - want.loss) / want.loss).toBeLessThanOrEqual(1e-5);
      let worst = 0;
      for (const [n, g] of want.grads) worst = Math.max(worst, maxDiff(got.grads.get(n)!, g));
      expect(worst).toBeLessThanOrEqual(1e-5);
      const noDrop = referenceStep(cfg, params, x, y, B, T, { training: false });
      expect(Math.abs(noDrop.loss - want.loss)).toBeGreaterThan(1e-3); // dropout really acted
    },
  );
});
