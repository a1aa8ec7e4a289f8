import { describe, expect, it } from 'vitest';
import { earlyStopping, l2Penalty, sgdStep, createSgdState } from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('regularization');
const es = loadGolden('early_stopping');

describe('L2 penalty against torch autograd', () => {
  it.each(cases(g.l2))('λ=$lambda half=$half', (c) => {
    const r = l2Penalty(c.weights as number[][], c.lambda, { half: c.half });
    expectClose(r.penalty, c.penalty, 1e-14, 1e-300);
    expectClose(r.gradient, c.gradient, 1e-14, 0);
    expect(r.sumSquares).toBe(15.5625);
  });

  it('keeps a vector a vector; the half form’s gradient is SGD weight_decay', () => {
    const r = l2Penalty([3, -4], 0.1, { half: true });
    expectClose(r.penalty, 1.25, 1e-15);
    expectClose(r.gradient, [0.3, -0.4], 1e-15);
    const viaDecay = sgdStep([3, -4], [0, 0], createSgdState(), { lr: 1, weightDecay: 0.1 }).params;
    expectClose(viaDecay, [3 - 0.3, -4 + 0.4], 1e-15);
  });
});

describe('early stopping', () => {
  it.each([
    [
      [1, 0.9, 0.8, 0.7],
      { patience: 2 },
      { stop: false, bestEpoch: 3, bestValue: 0.7, wait: 0, stoppedEpoch: null },
    ],
    [
      [1, 0.9, 0.95, 0.96],
      { patience: 2 },
      { stop: true, bestEpoch: 1, bestValue: 0.9, wait: 2, stoppedEpoch: 3 },
    ],
    [
      [1, 0.9, 0.9, 0.9],
      { patience: 3 },
      { stop: false, bestEpoch: 1, bestValue: 0.9, wait: 2, stoppedEpoch: null },
    ],
    // 0.95 improves on 1 by 0.05, not by more than minDelta = 0.1: not an improvement
    [
      [1, 0.95, 0.85, 0.8],
      { patience: 2, minDelta: 0.1 },
      { stop: false, bestEpoch: 2, bestValue: 0.85, wait: 1, stoppedEpoch: null },
    ],
    [
      [0.5, 0.6, 0.55, 0.58],
      { patience: 2, mode: 'max' as const },
      { stop: true, bestEpoch: 1, bestValue: 0.6, wait: 2, stoppedEpoch: 3 },
    ],
  ])('%j with %j', (history, options, want) => {
    expect(earlyStopping(history, options)).toMatchObject(want);
  });

  it.each(cases(es.early_stopping))(
    'matches the Keras EarlyStopping reference: patience $patience, min_delta $min_delta, $mode, $history',
    (c) => {
      const r = earlyStopping(c.history, { patience: c.patience, minDelta: c.min_delta, mode: c.mode });
      expect(r).toEqual({
        stop: c.stopped_epoch !== null,
        stoppedEpoch: c.stopped_epoch,
        epochsRun: c.epochs_run,
        bestEpoch: c.best_epoch,
        bestValue: c.best_value,
        wait: c.wait,
        improved: c.improved,
        restoredEpoch: c.restored_epoch,
      });
      if (r.stoppedEpoch !== null) expect(r.bestEpoch).toBeLessThanOrEqual(r.stoppedEpoch);
    },
  );

  it('reports which epochs improved', () => {
    expect(earlyStopping([3, 2, 2.5, 1], { patience: 5 }).improved).toEqual([true, true, false, true]);
  });

  it.each([
    ['l2 empty', () => l2Penalty([], 0.1), /l2Penalty: weights must be a non-empty array or matrix/],
    ['l2 lambda', () => l2Penalty([1], -1), /l2Penalty: lambda must be in \[0, Infinity\), got -1/],
    ['l2 NaN', () => l2Penalty([[1], [NaN]], 1), /l2Penalty: weights\[1\]\[0\] must be a number, got NaN/],
    [
      'es empty',
      () => earlyStopping([], { patience: 1 }),
      /earlyStopping: history must be a non-empty array/,
    ],
    ['es patience', () => earlyStopping([1], { patience: 0 }), /patience must be an integer >= 1, got 0/],
    ['es minDelta', () => earlyStopping([1], { patience: 1, minDelta: -1 }), /minDelta must be >= 0, got -1/],
    [
      'es mode',
      () => earlyStopping([1], { patience: 1, mode: 'up' as 'min' }),
      /mode must be 'min' or 'max'/,
    ],
    ['es NaN', () => earlyStopping([1, NaN], { patience: 1 }), /history\[1\] must be a number, got NaN/],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
