import { describe, expect, it } from 'vitest';
import { createRng, dropout, dropoutMask } from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('dropout');

describe('inverted dropout against F.dropout (given PyTorch’s own mask)', () => {
  it.each(cases(g.cases))('p=$p training=$training', (c) => {
    const r = dropout(c.x as number[][], c.p, { training: c.training, mask: c.mask });
    expectClose(r.output, c.output, 1e-15, 0);
    expect(r.mask).toEqual(c.mask);
    expect(r.scale).toBe(!c.training ? 1 : c.p === 1 ? 0 : 1 / (1 - c.p));
  });

  it('p = 1 zeroes everything (as PyTorch) and p = 0 is the identity', () => {
    const rng = createRng(1);
    expect(dropout([1, -2, 3], 1, { rng }).output.every((x) => x === 0)).toBe(true);
    expect(dropout([1, -2, 3], 0, { rng }).output).toEqual([1, -2, 3]);
    expect(dropout([1, -2, 3], 1, { mask: [true, true, true] }).output).toEqual([0, -0, 0]);
  });

  it('eval mode is the identity whatever p', () => {
    const r = dropout([[1, 2]], 0.7, { training: false });
    expect(r).toEqual({ input: [[1, 2]], mask: [[true, true]], scale: 1, output: [[1, 2]] });
  });
});

describe('seeded masks', () => {
  it('same seed → same mask; another seed → another mask; keep rate ≈ 1 − p', () => {
    const a = dropoutMask(4000, 0.3, createRng(42));
    expect(dropoutMask(4000, 0.3, createRng(42))).toEqual(a);
    expect(dropoutMask(4000, 0.3, createRng(43))).not.toEqual(a);
    const rate = a.filter(Boolean).length / a.length;
    expect(Math.abs(rate - 0.7)).toBeLessThan(0.03);
  });

  it('a matrix draws its mask row by row from the rng and keeps the expectation', () => {
    const x = Array.from({ length: 50 }, () => new Array<number>(40).fill(1));
    const r = dropout(x, 0.5, { rng: createRng(9) });
    const flatMask = dropoutMask(2000, 0.5, createRng(9));
    expect(r.mask.flat()).toEqual(flatMask);
    const mean = r.output.flat().reduce((s, v) => s + v, 0) / 2000;
    expect(Math.abs(mean - 1)).toBeLessThan(0.06);
  });
});

describe('dropout: bad input', () => {
  it.each([
    ['p > 1', () => dropout([1], 1.5, { rng: createRng(1) }), /dropout: p must be in \[0, 1\], got 1.5/],
    ['p < 0', () => dropout([1], -0.1, { rng: createRng(1) }), /dropout: p must be in \[0, 1\], got -0.1/],
    ['p NaN', () => dropout([1], NaN, { rng: createRng(1) }), /dropout: p must be a number, got NaN/],
    ['empty x', () => dropout([], 0.5, { rng: createRng(1) }), /dropout: x must be a non-empty array/],
    ['no rng', () => dropout([1], 0.5), /training dropout needs options.rng or options.mask/],
    [
      'mask shape',
      () => dropout([1, 2], 0.5, { mask: [true] }),
      /mask must be booleans of the same shape as x, \(2\)/,
    ],
    ['matrix mask shape', () => dropout([[1, 2]], 0.5, { mask: [[true]] }), /same shape as x, \(1, 2\)/],
    ['mask n', () => dropoutMask(0, 0.5, createRng(1)), /dropoutMask: n must be an integer >= 1/],
    ['mask rng', () => dropoutMask(2, 0.5, {} as never), /dropoutMask: rng must be an Rng/],
  ])('%s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
