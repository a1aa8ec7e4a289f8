import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { adamwScalars } from '../../../../src/model/adamw-scalars';
import { ADAMW_DEFAULTS } from '../../../../src/model/engine';
import { AdamW } from '../../../../src/model/tfjs/adamw';
import {
  adamwUpdateOps,
  registerKernels,
  unregisterKernels,
  type AdamWScalars,
} from '../../../../src/model/tfjs/kernels';
import { createRng } from '../../../../src/lib/rng';
import { expectClose } from '../../helpers/close';
import { useCpuBackend } from './tf-backend';

beforeAll(useCpuBackend);
afterEach(() => unregisterKernels('cpu'));

/** The scalars AdamW passes for step t (PyTorch's β, ε). */
function scalars(t: number, lr = 1e-2, wd = 0.1): AdamWScalars {
  return adamwScalars({ ...ADAMW_DEFAULTS, weightDecay: wd }, lr, t);
}

/** One element's update in double precision, written out as torch.optim.AdamW does it. */
function reference(p: number, m: number, v: number, g: number, s: AdamWScalars): number[] {
  const mN = s.beta1 * m + s.oneMinusBeta1 * g;
  const vN = s.beta2 * v + s.oneMinusBeta2 * g * g;
  return [p * s.decay - s.stepSize * (mN / (Math.sqrt(vN) / s.biasCorrection2Sqrt + s.eps)), mN, vN];
}

const rng = createRng(7);
const n = 50;
const P = Array.from({ length: n }, () => rng.normal());
const M = Array.from({ length: n }, () => rng.normal(0, 0.05));
const V = Array.from({ length: n }, () => rng.normal(0, 0.03) ** 2);
const G = Array.from({ length: n }, () => rng.normal(0, 0.1));

describe('adamwUpdateOps (the portable registry entry)', () => {
  test.each([
    ['step 1', 1, false],
    ['step 50', 50, false],
    ['step 3 with a keep mask', 3, true],
  ])('%s: [p; m; v] matches the double-precision update', (_label, t, masked) => {
    const s = scalars(t);
    const keep = P.map((_, i) => (masked && i % 4 === 0 ? 0 : 1));
    const out = tf.tidy(() => {
      const state = tf.tensor1d([...P, ...M, ...V]); // (3n)
      const k = masked ? tf.tensor1d(keep) : undefined; // (n)
      return Array.from(adamwUpdateOps(state, tf.tensor1d(G), s, k).dataSync());
    });
    const want = [[], [], []] as number[][];
    P.forEach((p, i) => {
      const r = keep[i] ? reference(p, M[i], V[i], G[i], s) : [p, M[i], V[i]];
      r.forEach((x, j) => want[j].push(x));
    });
    expect(out).toHaveLength(3 * n);
    expectClose(out, want.flat(), 1e-6, 1e-7);
  });
});

describe('AdamW runs its update through the kernel registry', () => {
  test('a registered adamwUpdate is called once per step, with the step’s scalars', () => {
    const calls: AdamWScalars[] = [];
    registerKernels('cpu', {
      adamwUpdate: (state, g, s, keep) => {
        calls.push(s);
        return adamwUpdateOps(state, g, s, keep);
      },
    });
    const w = tf.variable(tf.tensor1d(P));
    const opt = new AdamW(new Map([['w', w]]), { lr: 1e-2, weightDecay: 0.1 });
    for (let i = 0; i < 2; i++) tf.tidy(() => opt.apply(new Map([['w', tf.tensor1d(G)]])));
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(scalars(2));
    opt.dispose();
    w.dispose();
  });

  test('a parameter assigned from outside between steps (setWeights) is what the next step updates', async () => {
    const w = tf.variable(tf.tensor1d(P));
    const opt = new AdamW(new Map([['w', w]]), { lr: 1e-2, weightDecay: 0.1 });
    tf.tidy(() => opt.apply(new Map([['w', tf.tensor1d(G)]])));
    const { m, v } = await opt.getState();
    const Y = P.map((p) => 0.5 * p + 1);
    tf.tidy(() => w.assign(tf.tensor1d(Y)));
    tf.tidy(() => opt.apply(new Map([['w', tf.tensor1d(G)]])));
    const s = scalars(2);
    const want = Y.map((y, i) => reference(y, m.w.data[i], v.w.data[i], G[i], s)[0]);
    expectClose(Array.from(w.dataSync()), want, 1e-6, 1e-7);
    opt.dispose();
    w.dispose();
  });

  test('a parameter without a gradient keeps its moments; the others’ move', async () => {
    const a = tf.variable(tf.tensor1d(P.slice(0, 3)));
    const b = tf.variable(tf.tensor1d(P.slice(3, 5)));
    const opt = new AdamW(
      new Map([
        ['a', a],
        ['b', b],
      ]),
    );
    tf.tidy(() => opt.apply({ a: tf.tensor1d([1, 1, 1]), b: tf.tensor1d([1, 1]) }));
    const before = await opt.getState();
    tf.tidy(() => opt.apply({ a: tf.tensor1d([1, 1, 1]) }));
    const after = await opt.getState();
    expect(after.m.b.data).toEqual(before.m.b.data);
    expect(after.v.b.data).toEqual(before.v.b.data);
    expect(after.m.a.data[0]).toBeGreaterThan(before.m.a.data[0]);
    opt.dispose();
    tf.dispose([a, b]);
  });
});
