import { describe, expect, it } from 'vitest';
import { dequantize, quantizeInt8, roundHalfEven, type QuantMode } from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('quantization');

describe('int8 symmetric quantization against torch (round half to even)', () => {
  it.each(cases(g.cases))('$mode %#', (c) => {
    const r = quantizeInt8(c.x, c.mode as QuantMode);
    expectClose(r.scales, c.scales, 1e-15, 0);
    expect(r.q).toEqual(c.q.map((row: number[]) => row.map((v) => v + 0))); // torch writes −0.0 where ours is 0
    expectClose(r.dequantized, c.dequantized, 1e-15, 0);
    expectClose([r.maxAbsError, r.meanAbsError], [c.maxAbsError, c.meanAbsError], 1e-12, 1e-300);
    expect(r.dequantized.flat().some(Number.isNaN)).toBe(false);
  });

  it('reports sizes: float32 before, int8 + one float32 scale per channel after', () => {
    const x = [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ];
    expect(quantizeInt8(x)).toMatchObject({ bytesBefore: 32, bytesAfter: 12, compression: 32 / 12 });
    expect(quantizeInt8(x, 'per-channel')).toMatchObject({ bytesAfter: 16, compression: 2 });
  });

  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [-0.5, -0],
    [-1.5, -2],
    [-2.5, -2],
    [2.4, 2],
    [-2.6, -3],
    [7, 7],
  ])('roundHalfEven(%d) = %d', (x, want) => {
    expect(roundHalfEven(x)).toBe(want);
  });

  it.each([
    ['empty', () => quantizeInt8([]), /quantizeInt8: x must be a non-empty matrix/],
    ['NaN', () => quantizeInt8([[1, NaN]]), /x\[0\]\[1\] must be a number, got NaN/],
    ['Infinity', () => quantizeInt8([[Infinity]]), /x\[0\]\[0\] must be finite/],
    ['mode', () => quantizeInt8([[1]], 'per-row' as QuantMode), /mode must be 'per-tensor' or 'per-channel'/],
    [
      'dequantize scales',
      () => dequantize([[1], [2], [3]], [1, 2]),
      /dequantize: scales must have length 1 or rows=3, got 2/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
