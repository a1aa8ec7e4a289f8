import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  getKernels,
  hashDropout,
  maskDropout,
  portableKernels,
  type Kernels,
} from '../../../../src/model/tfjs/kernels';
import {
  dropoutHashValues,
  dropoutMaskValues,
  dropoutThreshold,
  HASH_PRIME,
  type DropoutKey,
} from '../../../../src/model/dropout-hash';
import { checkKernels } from '../../../../src/model/tfjs/kernels/check';
import { dropoutCases } from '../../../../src/model/tfjs/kernels/cases/dropout';
import { useCpuBackend } from './tf-backend';

beforeAll(useCpuBackend);

const key: DropoutKey = { seed: 1337, step: 3, salt: 5 };

function droppedFraction(m: Float32Array): number {
  return m.reduce((n, v) => n + (v === 0 ? 1 : 0), 0) / m.length;
}

describe('dropoutMaskValues(shape, rate, key)', () => {
  test.each<[number[], number, DropoutKey, number]>([
    [[64, 4096], 0.1, key, 0.005],
    [[64, 4096], 0.14, { seed: 1, step: 0, salt: 0 }, 0.005],
    [[8, 5000, 7], 0.5, { seed: 2, step: 7, salt: 9 }, 0.005],
    [[3, 4099], 0.9, { seed: 42, step: 100, salt: 3 }, 0.01],
    [[1, 8193], 0.25, key, 0.02],
  ])('shape %j, rate %s, key %j drops the rate within ±%s', (shape, rate, k, tol) => {
    const m = dropoutMaskValues(shape, rate, k);
    expect(m.length).toBe(shape.reduce((a, b) => a * b, 1));
    expect(Math.abs(droppedFraction(m) - rate)).toBeLessThan(tol);
    const scale = Math.fround(1 / (1 - rate));
    expect(m.every((v) => v === 0 || v === scale)).toBe(true);
  });

  test('is deterministic: the same key gives the same mask', () => {
    expect(dropoutMaskValues([17, 33], 0.3, key)).toEqual(dropoutMaskValues([17, 33], 0.3, { ...key }));
  });

  test.each<[string, DropoutKey]>([
    ['another step', { ...key, step: 4 }],
    ['another salt (layer i·4 + site)', { ...key, salt: 9 }],
    ['another seed', { ...key, seed: 1338 }],
  ])('%s gives an unrelated mask (agreement ≈ 0.5 at rate 0.5)', (_label, other) => {
    const a = dropoutMaskValues([64, 1024], 0.5, key);
    const b = dropoutMaskValues([64, 1024], 0.5, other);
    const agree = a.reduce((n, v, i) => n + (v === b[i] ? 1 : 0), 0) / a.length;
    expect(Math.abs(agree - 0.5)).toBeLessThan(0.02);
  });

  test('rows ≥ P get their own mask: row r and row r + P differ (the ⌊r/P⌋ term)', () => {
    const P = HASH_PRIME;
    const h = dropoutHashValues([P + 2, 256], key);
    const row = (r: number): Uint16Array => h.subarray(r * 256, (r + 1) * 256);
    const same = row(1).reduce((n, v, c) => n + (v === row(P + 1)[c] ? 1 : 0), 0);
    expect(same).toBeLessThan(10);
  });

  test('residues lie in [0, P) and the threshold is round(rate·P)', () => {
    const h = dropoutHashValues([32, 100], key);
    expect(Math.max(...h)).toBeLessThan(HASH_PRIME);
    expect(dropoutThreshold(0.14)).toBe(573);
    expect(dropoutThreshold(0.5)).toBe(2046);
  });
});

describe('maskDropout(x, rate, key): the CPU backend dropout', () => {
  test.each<[number[], number]>([
    [[4, 8, 16, 16], 0.14],
    [[2, 4100, 3], 0.5],
    [[3, 37, 33], 0.1],
  ])('shape %j, rate %s equals the portable hash in value and gradient, bit for bit', (shape, rate) => {
    const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
    const w = tf.randomNormal(shape, 0, 1, 'float32', 2);
    const run = (f: Kernels['dropout']): [Float32Array, Float32Array] =>
      tf.tidy(() => {
        const y = f(x, rate, key);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t, rate, key), w)))(x);
        return [y.dataSync() as Float32Array, g.dataSync() as Float32Array];
      });
    const [yMask, gMask] = run(maskDropout);
    const [yHash, gHash] = run(hashDropout);
    expect(yMask).toEqual(yHash);
    expect(gMask).toEqual(gHash);
    expect(yMask.some((v) => v === 0)).toBe(true);
    tf.dispose([x, w]);
  });

  test('rate 0 returns x itself, and a step leaves no tensors behind', () => {
    const x = tf.ones([4, 5]);
    expect(maskDropout(x, 0, key)).toBe(x);
    const before = tf.memory().numTensors;
    const g = tf.grad((t: tf.Tensor) => tf.sum(maskDropout(t, 0.3, key)))(x);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('dropout kernel-check cases on the CPU backend', () => {
  test('the active CPU dropout (the twin) matches the portable hash at tolerance 0 in every case', async () => {
    expect(getKernels().dropout).toBe(maskDropout);
    const results = await checkKernels(dropoutCases);
    expect(results.length).toBe(dropoutCases.length);
    for (const r of results) {
      expect(r.fused, r.name).toBe(true);
      expect(r.tol, r.name).toBe(0);
      expect(r.maxAbsErr, r.name).toBe(0);
      expect(r.kernelsActive, r.name).toBeLessThan(r.kernelsPortable);
    }
  });

  test('the cases can fail: a kernel with another key, or without the scale, is caught', async () => {
    const wrongKey: Kernels['dropout'] = (x, rate, k) => maskDropout(x, rate, { ...k, step: k.step + 1 });
    const noScale: Kernels['dropout'] = (x, rate, k) => tf.mul(maskDropout(x, rate, k), 1 - rate);
    for (const bad of [wrongKey, noScale]) {
      const cases = dropoutCases.map((c) => ({
        ...c,
        run: (k: Kernels) => c.run(k === portableKernels ? k : { ...k, dropout: bad }),
      }));
      const results = await checkKernels(cases);
      for (const r of results) expect(r.ok, r.name).toBe(false);
    }
  });
});
