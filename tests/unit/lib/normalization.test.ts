import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('normalization');

describe('min-max and z-score', () => {
  it.each(cases(g.minMax))('min-max into $range', (c) => {
    const r = lib.minMaxNormalize(c.x, c.range);
    expectClose(r.output, c.output, 1e-14, 1e-15);
    expect([r.min, r.max, r.constant]).toEqual([-2.5, 9, false]);
  });

  it.each(cases(g.zScore))('z-score unbiased=$unbiased', (c) => {
    const r = lib.zScore(c.x, { unbiased: c.unbiased });
    expectClose([r.mean, r.std], [c.mean, c.std], 1e-14);
    expectClose(r.output, c.output, 1e-13, 1e-15);
  });

  it('constant input: min-max → lower bound, z-score → zeros (no NaN)', () => {
    expect(lib.minMaxNormalize([2, 2], [-1, 1])).toMatchObject({ output: [-1, -1], constant: true });
    expect(lib.zScore([3, 3, 3])).toMatchObject({ output: [0, 0, 0], std: 0, constant: true });
  });
});

describe('batch norm (BatchNorm1d) and layer norm against PyTorch', () => {
  it.each(cases(g.batchNorm))('momentum $momentum: train ×3 then eval, running stats', (c) => {
    let state: lib.BatchNormState = lib.createBatchNormState(3);
    for (const step of c.steps) {
      const before = JSON.stringify(state);
      const r = lib.batchNorm(step.x, state, {
        training: step.training,
        gamma: c.gamma,
        beta: c.beta,
        momentum: c.momentum,
        eps: c.eps,
      });
      expect(JSON.stringify(state)).toBe(before); // pure
      expectClose(r.output, step.output, 1e-10, 1e-12);
      expectClose(r.state.runningMean, step.runningMean, 1e-12, 1e-15);
      expectClose(r.state.runningVar, step.runningVar, 1e-12, 1e-15);
      state = r.state;
    }
  });

  it('training normalizes with the biased variance and tracks the unbiased one', () => {
    const r = lib.batchNorm([[1], [3]], lib.createBatchNormState(1), { training: true });
    expect(r.variance).toEqual([1]);
    expect(r.unbiasedVariance).toEqual([2]);
    expectClose(r.state.runningVar, [0.9 + 0.1 * 2], 1e-15);
    expect(r.state.numBatchesTracked).toBe(1);
    const e = lib.batchNorm([[1], [3]], r.state, { training: false });
    expect(e.unbiasedVariance).toBeNull();
    expect(e.state).toEqual(r.state);
  });

  it('layer norm equals F.layer_norm, including a zero-variance row', () => {
    const c = g.layerNorm;
    const r = lib.layerNorm(c.x, { gamma: c.gamma, beta: c.beta, eps: c.eps });
    expectClose(r.output, c.output, 1e-10, 1e-12);
    expectClose(r.mean, c.mean, 1e-14);
    expectClose(r.variance, c.variance, 1e-12, 1e-15);
    expect(r.normalized[1]).toEqual([0, 0, 0, 0]);
    expectClose(lib.layerNorm([[1, 3]]).output, [[-1 / Math.sqrt(1 + 1e-5), 1 / Math.sqrt(1 + 1e-5)]], 1e-15);
  });
});

describe('normalization: bad input', () => {
  const st = lib.createBatchNormState(2);
  it.each([
    ['minmax empty', () => lib.minMaxNormalize([]), /minMaxNormalize: x must be a non-empty array/],
    ['minmax range', () => lib.minMaxNormalize([1, 2], [1, 0]), /range must have lo < hi, got \[1, 0\]/],
    [
      'minmax range shape',
      () => lib.minMaxNormalize([1], [1] as unknown as [number, number]),
      /range must be \[lo, hi\]/,
    ],
    ['minmax NaN range', () => lib.minMaxNormalize([1], [NaN, 1]), /range\[0\] must be a number, got NaN/],
    ['zscore NaN', () => lib.zScore([1, NaN]), /zScore: x\[1\] must be a number, got NaN/],
    [
      'zscore unbiased n=1',
      () => lib.zScore([1], { unbiased: true }),
      /length >= 2 for the unbiased variance/,
    ],
    [
      'bn N=1 training',
      () => lib.batchNorm([[1, 2]], st, { training: true }),
      /batchNorm: x must have N >= 2 rows in training/,
    ],
    [
      'bn channels',
      () => lib.batchNorm([[1], [2]], st, { training: true }),
      /state.runningMean must have length 1, got 2/,
    ],
    [
      'bn gamma',
      () =>
        lib.batchNorm(
          [
            [1, 2],
            [3, 4],
          ],
          st,
          { training: true, gamma: [1] },
        ),
      /gamma must have length 2/,
    ],
    [
      'bn eps',
      () =>
        lib.batchNorm(
          [
            [1, 2],
            [3, 4],
          ],
          st,
          { training: true, eps: 0 },
        ),
      /eps must be in \(0, Infinity\), got 0/,
    ],
    [
      'bn momentum',
      () =>
        lib.batchNorm(
          [
            [1, 2],
            [3, 4],
          ],
          st,
          { training: true, momentum: 2 },
        ),
      /momentum must be in \[0, 1\], got 2/,
    ],
    ['bn state', () => lib.createBatchNormState(0), /createBatchNormState: channels must be an integer >= 1/],
    ['ln empty', () => lib.layerNorm([]), /layerNorm: x must be a non-empty matrix of shape \(T, d\)/],
    [
      'ln beta',
      () => lib.layerNorm([[1, 2]], { beta: [1, 2, 3] }),
      /layerNorm: beta must have length 2, got 3/,
    ],
    [
      'ln eps',
      () => lib.layerNorm([[1, 2]], { eps: -1 }),
      /layerNorm: eps must be in \(0, Infinity\), got -1/,
    ],
  ])('%s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
