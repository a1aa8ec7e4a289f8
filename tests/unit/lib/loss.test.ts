import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('loss');

describe('cross-entropy from logits against F.cross_entropy and autograd', () => {
  it.each(cases(g.cases))('$logits → $targets ($reduction)', (c) => {
    const r = crossEntropy(c.logits, c.targets, { reduction: c.reduction });
    expectClose(r.loss, c.loss, 1e-12, 1e-300);
    expectClose(r.losses, c.losses, 1e-12, 1e-300);
    expectClose(r.logSumExp, c.logSumExp, 1e-14);
    expectClose(r.gradient, c.gradient, 1e-12, 1e-300);
    r.probs.forEach((row) =>
      expectClose(
        row.reduce((s, p) => s + p, 0),
        1,
        1e-12,
      ),
    );
  });

  it('large logits stay finite (stable log-sum-exp)', () => {
    const r = crossEntropy([[1000, 0, -1000]], [2]);
    expect(r.loss).toBe(2000);
    expect(r.max).toEqual([1000]);
  });

  it.each([
    [
      'empty',
      () => crossEntropy([], []),
      /crossEntropy: logits must be a non-empty matrix of shape \(N, C\)/,
    ],
    ['targets length', () => crossEntropy([[1, 2]], [0, 1]), /targets must have length N=1, got 2/],
    ['target range', () => crossEntropy([[1, 2]], [2]), /targets\[0\] must be an integer in \[0, 1\], got 2/],
    ['NaN logit', () => crossEntropy([[NaN, 2]], [0]), /logits\[0\]\[0\] must be a number, got NaN/],
    [
      'reduction',
      () => crossEntropy([[1, 2]], [0], { reduction: 'none' as 'sum' }),
      /reduction must be 'mean' or 'sum'/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
