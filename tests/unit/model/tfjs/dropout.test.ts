import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import {
  getKernels,
  hashDropout,
  hashDropoutMask,
  maskDropout,
  registerKernels,
  unregisterKernels,
} from '../../../../src/model/tfjs/kernels';
import { dropoutMaskValues, type DropoutKey } from '../../../../src/model/dropout-hash';
import { useCpuBackend } from './tf-backend';

beforeAll(useCpuBackend);

function mask(shape: number[], rate: number, key: DropoutKey): Float32Array {
  return tf.tidy(() => hashDropoutMask(shape, rate, key).dataSync() as Float32Array);
}

const key: DropoutKey = { seed: 1337, step: 3, salt: 5 };

describe('hashDropoutMask(shape, rate, key)', () => {
  test.each([
    [[4, 8, 16, 16], 0.14],
    [[2, 5000, 3], 0.5],
    [[3, 4100], 0.1],
  ])(
    'shape %j, rate %s equals the integer replay dropoutMaskValues exactly (float32 arithmetic is exact)',
    (shape, rate) => {
      const expected = dropoutMaskValues(shape, rate, key);
      const got = mask(shape, rate, key);
      let mismatches = 0;
      for (let i = 0; i < got.length; i++) if (got[i] !== expected[i]) mismatches++;
      expect(mismatches).toBe(0);
      expect(expected.some((v) => v === 0)).toBe(true);
      expect(expected.some((v) => v > 1)).toBe(true);
    },
  );

  test.each([0.1, 0.14, 0.5, 0.9])('drops a fraction %s of 262 144 elements (±1 %)', (rate) => {
    const m = mask([64, 4096], rate, key);
    const dropped = m.reduce((n, v) => n + (v === 0 ? 1 : 0), 0) / m.length;
    expect(Math.abs(dropped - rate)).toBeLessThan(0.01);
  });

  test('keeps the expectation: mean of the scaled mask ≈ 1', () => {
    const m = mask([128, 1024], 0.14, key);
    expect(m.reduce((a, b) => a + b, 0) / m.length).toBeCloseTo(1, 2);
  });

  test('neighbouring elements are uncorrelated (|r| < 0.02 along rows and columns)', () => {
    const [R, C] = [256, 512];
    const m = mask([R, C], 0.5, key);
    const corr = (pairs: [number, number][]): number => {
      const n = pairs.length;
      const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
      const my = pairs.reduce((s, p) => s + p[1], 0) / n;
      let sxy = 0;
      let sxx = 0;
      let syy = 0;
      for (const [x, y] of pairs) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) ** 2;
        syy += (y - my) ** 2;
      }
      return sxy / Math.sqrt(sxx * syy);
    };
    const right: [number, number][] = [];
    const down: [number, number][] = [];
    for (let r = 0; r < R - 1; r++) {
      for (let c = 0; c < C - 1; c++) {
        right.push([m[r * C + c], m[r * C + c + 1]]);
        down.push([m[r * C + c], m[(r + 1) * C + c]]);
      }
    }
    expect(Math.abs(corr(right))).toBeLessThan(0.02);
    expect(Math.abs(corr(down))).toBeLessThan(0.02);
  });

  test.each<[string, DropoutKey]>([
    ['another step', { ...key, step: 4 }],
    ['another salt (layer / site)', { ...key, salt: 6 }],
    ['another seed', { ...key, seed: 1338 }],
  ])('%s gives an unrelated mask (agreement ≈ 1 − 2p(1 − p))', (_label, other) => {
    const a = mask([64, 1024], 0.5, key);
    const b = mask([64, 1024], 0.5, other);
    const agree = a.reduce((n, v, i) => n + (v === b[i] ? 1 : 0), 0) / a.length;
    expect(Math.abs(agree - 0.5)).toBeLessThan(0.02);
  });

  test('the same key gives the same mask', () => {
    expect(mask([8, 64], 0.3, key)).toEqual(mask([8, 64], 0.3, { ...key }));
  });
});

describe('hashDropout(x, rate, key)', () => {
  test('rate 0 returns x itself', () => {
    const x = tf.ones([2, 3]);
    expect(hashDropout(x, 0, key)).toBe(x);
    x.dispose();
  });

  test('its gradient is the mask (no gradient flows to dropped elements)', () => {
    const x = tf.randomNormal([16, 32], 0, 1, 'float32', 1);
    const g = tf.grad((t: tf.Tensor) => tf.sum(hashDropout(t, 0.25, key)))(x);
    expect(g.dataSync()).toEqual(mask([16, 32], 0.25, key));
    tf.dispose([x, g]);
  });
});

describe('registerKernels(backend, kernels)', () => {
  test('the CPU and wasm backends (CPU memory) default to the JS-mask twin, GPU backends to the portable hash', () => {
    expect(getKernels('cpu').dropout).toBe(maskDropout);
    expect(getKernels('wasm').dropout).toBe(maskDropout);
    expect(getKernels('webgl').dropout).toBe(hashDropout);
  });

  test('replaces the dropout for that backend only, and unregisterKernels restores the default one', () => {
    const calls: number[] = [];
    registerKernels('cpu', {
      dropout: (x, rate) => {
        calls.push(rate);
        return x;
      },
    });
    const x = tf.ones([2, 2]);
    getKernels('cpu').dropout(x, 0.5, key);
    expect(calls).toEqual([0.5]);
    expect(getKernels('webgpu').dropout).toBe(hashDropout);
    unregisterKernels('cpu');
    expect(getKernels('cpu').dropout).toBe(maskDropout);
    registerKernels('webgl', { dropout: maskDropout });
    expect(getKernels('webgl').dropout).toBe(maskDropout);
    unregisterKernels('webgl');
    expect(getKernels('webgl').dropout).toBe(hashDropout);
    x.dispose();
  });
});
