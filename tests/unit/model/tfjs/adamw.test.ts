import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { ADAMW_DEFAULTS, type AdamWOptions } from '../../../../src/model/engine';
import { AdamW, groupBySize, MAX_GROUP_VALUES } from '../../../../src/model/tfjs/adamw';
import { createRng } from '../../../../src/lib/rng';
import { expectClose } from '../../helpers/close';
import { useCpuBackend } from './tf-backend';

beforeAll(useCpuBackend);

/** torch.optim.AdamW written out in double precision for one parameter vector. */
function referenceAdamW(p0: number[], grads: number[][], o: AdamWOptions): number[] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < p.length; i++) {
      p[i] *= 1 - o.lr * o.weightDecay;
      m[i] = o.beta1 * m[i] + (1 - o.beta1) * g[i];
      v[i] = o.beta2 * v[i] + (1 - o.beta2) * g[i] * g[i];
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - o.beta2 ** t) + o.eps;
      p[i] -= (o.lr / (1 - o.beta1 ** t)) * (m[i] / denom);
    }
  });
  return p;
}

const rng = createRng(42);
const p0 = Array.from({ length: 64 }, () => rng.normal());
const grads = Array.from({ length: 5 }, () => Array.from({ length: 64 }, () => rng.normal(0, 0.1)));

/** Run the tfjs AdamW over the gradients and return the parameter. */
function run(o: Partial<AdamWOptions>): number[] {
  const p = tf.variable(tf.tensor1d(p0));
  const opt = new AdamW(new Map([['w', p]]), o);
  for (const g of grads) tf.tidy(() => opt.apply(new Map([['w', tf.tensor1d(g)]])));
  const out = Array.from(p.dataSync());
  opt.dispose();
  p.dispose();
  return out;
}

describe('AdamW.apply(grads, lr) matches torch.optim.AdamW', () => {
  test('defaults are PyTorch’s', () => {
    expect(ADAMW_DEFAULTS).toEqual({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 });
  });

  test.each<Partial<AdamWOptions>>([
    {},
    { lr: 1e-2, weightDecay: 0 },
    { lr: 3e-4, weightDecay: 0.1 },
    { lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-6 },
  ])('five steps with %j', (o) => {
    expectClose(run(o), referenceAdamW(p0, grads, { ...ADAMW_DEFAULTS, ...o }), 1e-5, 1e-6);
  });

  test('weight decay is decoupled: a zero gradient only shrinks p by (1 − lr·wd)', () => {
    const p = tf.variable(tf.tensor1d([2, -4]));
    const opt = new AdamW(new Map([['w', p]]), { lr: 0.1, weightDecay: 0.5 });
    tf.tidy(() => opt.apply(new Map([['w', tf.zeros([2])]])));
    expectClose(Array.from(p.dataSync()), [2 * 0.95, -4 * 0.95], 1e-6);
    opt.dispose();
    p.dispose();
  });

  test('a parameter without a gradient is left alone', () => {
    const a = tf.variable(tf.tensor1d([1]));
    const b = tf.variable(tf.tensor1d([1]));
    const opt = new AdamW(
      new Map([
        ['a', a],
        ['b', b],
      ]),
      { lr: 0.1 },
    );
    tf.tidy(() => opt.apply({ a: tf.tensor1d([1]) }));
    expect(b.dataSync()[0]).toBe(1);
    expect(a.dataSync()[0]).toBeLessThan(1);
    opt.dispose();
    tf.dispose([a, b]);
  });
});

describe('AdamW state', () => {
  test('getState() → setState() on a fresh optimiser continues bit for bit', async () => {
    const pa = tf.variable(tf.tensor1d(p0));
    const a = new AdamW(new Map([['w', pa]]), { lr: 1e-2 });
    tf.tidy(() => a.apply(new Map([['w', tf.tensor1d(grads[0])]])));
    tf.tidy(() => a.apply(new Map([['w', tf.tensor1d(grads[1])]])));
    const state = await a.getState();
    expect(state.step).toBe(2);
    expect(state.m.w.shape).toEqual([64]);

    const pb = tf.variable(tf.tensor1d(pa.dataSync()));
    const b = new AdamW(new Map([['w', pb]]));
    b.setState(state);
    expect(b.options.lr).toBe(1e-2);
    tf.tidy(() => a.apply(new Map([['w', tf.tensor1d(grads[2])]])));
    tf.tidy(() => b.apply(new Map([['w', tf.tensor1d(grads[2])]])));
    expect(pb.dataSync()).toEqual(pa.dataSync());
    a.dispose();
    b.dispose();
    tf.dispose([pa, pb]);
  });

  test.each([
    ['a missing moment', { m: {} }, /missing m for w/],
    [
      'a wrongly sized moment',
      { v: { w: { shape: [2], data: new Float32Array(2) } } },
      /2 values, expected 64/,
    ],
    ['a negative step', { step: -1 }, /non-negative integer/],
  ])('setState rejects %s', async (_label, patch, message) => {
    const p = tf.variable(tf.tensor1d(p0));
    const opt = new AdamW(new Map([['w', p]]));
    const state = { ...(await opt.getState()), ...patch };
    expect(() => opt.setState(state)).toThrow(message);
    opt.dispose();
    p.dispose();
  });
});

describe('packed groups (each state stays under the WebGPU binding-size floor)', () => {
  test.each([
    [[5, 5, 5], 10, [[0, 1], [2]]], // a run may fill the cap exactly
    [
      [3, 3, 3, 3],
      6,
      [
        [0, 1],
        [2, 3],
      ],
    ],
    [[2, 20, 2], 10, [[0], [1], [2]]], // a parameter larger than the cap runs alone
    [[1, 2, 3], 100, [[0, 1, 2]]],
  ])('groupBySize(%j, %i) → %j', (sizes, cap, expected) => {
    expect(groupBySize(sizes, cap)).toEqual(expected);
  });

  test('the default cap keeps 3 × values within 128 MiB of float32', () => {
    expect(3 * MAX_GROUP_VALUES * 4).toBeLessThanOrEqual(128 * 1024 * 1024);
  });

  test('many groups update, save and restore exactly like one group', async () => {
    const make = (): Map<string, tf.Variable> =>
      new Map(
        ['a', 'b', 'c'].map((n, k) => [n, tf.variable(tf.tensor1d(p0.map((x) => x * (k + 1))))] as const),
      );
    const [one, many] = [make(), make()];
    const optOne = new AdamW(one, { lr: 1e-2 });
    const optMany = new AdamW(many, { lr: 1e-2 }, 64); // one parameter per group
    expect([optOne.groupCount, optMany.groupCount]).toEqual([1, 3]);
    const step = (opt: AdamW, s: number, skip?: string): void =>
      tf.tidy(() =>
        opt.apply(
          new Map(['a', 'b', 'c'].filter((n) => n !== skip).map((n) => [n, tf.tensor1d(grads[s])] as const)),
        ),
      );
    for (const [opt] of [[optOne], [optMany]] as const) {
      step(opt, 0);
      step(opt, 1, 'b');
    }
    for (const n of ['a', 'b', 'c']) expect(many.get(n)!.dataSync()).toEqual(one.get(n)!.dataSync());
    const restored = new AdamW(many, {}, 64);
    restored.setState(await optOne.getState());
    step(optOne, 2);
    step(restored, 2);
    for (const n of ['a', 'b', 'c']) expect(many.get(n)!.dataSync()).toEqual(one.get(n)!.dataSync());
    [optOne, optMany, restored].forEach((o) => o.dispose());
    tf.dispose([...one.values(), ...many.values()]);
  });
});
