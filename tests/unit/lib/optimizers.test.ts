import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('optimizers');

describe('optimizers against torch.optim (4 steps each)', () => {
  it.each(cases(g.cases))('$kind $options', (c) => {
    let params: number[] = c.params0;
    let sgd: lib.SgdState = lib.createSgdState();
    let adam: lib.AdamState = lib.createAdamState(params.length);
    const trajectory = (c.grads as number[][]).map((grad) => {
      if (c.kind === 'sgd') {
        const r = lib.sgdStep(params, grad, sgd, c.options as lib.SgdOptions);
        sgd = r.state;
        params = r.params;
      } else {
        const r = (c.kind === 'adam' ? lib.adamStep : lib.adamWStep)(
          params,
          grad,
          adam,
          c.options as lib.AdamOptions,
        );
        adam = r.state;
        params = r.params;
      }
      return params;
    });
    expectClose(trajectory, c.trajectory, 1e-12, 1e-15);
  });
});

describe('optimizer stages and purity', () => {
  it('AdamW decays the weights before the Adam update; Adam folds decay into the gradient', () => {
    const w = lib.adamWStep([2], [0], lib.createAdamState(1), { lr: 0.1, weightDecay: 0.5 });
    expect(w.decayed).toEqual([2 * (1 - 0.05)]);
    expect(w.params).toEqual([1.9]); // zero gradient: only the decay acts
    const a = lib.adamStep([2], [0], lib.createAdamState(1), { lr: 0.1, weightDecay: 0.5 });
    expectClose(a.params, [2 - 0.1], 1e-8); // gradient 1 after L2: the first Adam step moves by ≈ lr
    expect(a.state.step).toBe(1);
  });

  it('does not mutate its inputs and reports the applied update', () => {
    const p = [1, 2];
    const s = lib.createSgdState();
    const r = lib.sgdStep(p, [0.5, -0.5], s, { lr: 0.1, momentum: 0.9 });
    expect(p).toEqual([1, 2]);
    expect(s.momentumBuffer).toBeNull();
    expect(r.update).toEqual([0.5, -0.5]);
    expectClose(r.params, [0.95, 2.05], 1e-15);
  });

  it.each([
    [
      'sgd lengths',
      () => lib.sgdStep([1, 2], [1], lib.createSgdState(), { lr: 0.1 }),
      /sgdStep: grads must have length 2, got 1/,
    ],
    [
      'sgd lr',
      () => lib.sgdStep([1], [1], lib.createSgdState(), { lr: -1 }),
      /sgdStep: lr must be in \[0, Infinity\), got -1/,
    ],
    [
      'sgd NaN grad',
      () => lib.sgdStep([1], [NaN], lib.createSgdState(), { lr: 0.1 }),
      /grads\[0\] must be a number, got NaN/,
    ],
    [
      'nesterov',
      () => lib.sgdStep([1], [1], lib.createSgdState(), { lr: 0.1, nesterov: true }),
      /nesterov requires momentum > 0 and dampening = 0/,
    ],
    [
      'sgd buffer',
      () => lib.sgdStep([1], [1], { momentumBuffer: [1, 2] }, { lr: 0.1, momentum: 0.9 }),
      /state.momentumBuffer must have length 1/,
    ],
    [
      'adam beta',
      () => lib.adamStep([1], [1], lib.createAdamState(1), { lr: 0.1, betas: [1, 0.9] }),
      /adamStep: betas\[0\] must be in \[0, 1\), got 1/,
    ],
    [
      'adam eps',
      () => lib.adamStep([1], [1], lib.createAdamState(1), { lr: 0.1, eps: -1 }),
      /eps must be in \[0, Infinity\)/,
    ],
    [
      'adam state',
      () => lib.adamWStep([1, 2], [1, 2], lib.createAdamState(1), { lr: 0.1 }),
      /adamWStep: state.expAvg must have length 2, got 1/,
    ],
    [
      'adamw decay',
      () => lib.adamWStep([1], [1], lib.createAdamState(1), { lr: 0.1, weightDecay: -1 }),
      /weightDecay must be in \[0, Infinity\), got -1/,
    ],
    [
      'adam empty',
      () => lib.adamStep([], [], lib.createAdamState(1), { lr: 0.1 }),
      /adamStep: params must be a non-empty array/,
    ],
    ['state n', () => lib.createAdamState(0), /createAdamState: n must be an integer >= 1/],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
