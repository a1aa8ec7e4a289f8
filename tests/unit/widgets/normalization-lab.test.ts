import { describe, expect, test } from 'vitest';
import {
  batches,
  fitRidge,
  generateData,
  lambdaFromSlider,
  parseRows,
  polyValue,
  ridgeData,
  solve,
  syntheticCurves,
} from '../../../components/widgets/normalization-lab/model';
import { l2Penalty } from '../../../src/lib/regularization';

describe('normalization lab model', () => {
  test('generated data is seeded, has the requested rows and three very different scales', () => {
    const a = generateData(1, 8);
    expect(a).toEqual(generateData(1, 8));
    expect(a).not.toEqual(generateData(2, 8));
    expect(a).toHaveLength(8);
    const mean = (j: number) => a.reduce((s, r) => s + r[j], 0) / a.length;
    expect(mean(0)).toBeGreaterThan(50);
    expect(mean(1)).toBeGreaterThan(0.5);
    expect(mean(1)).toBeLessThan(10);
    expect(Math.abs(mean(2))).toBeLessThan(0.2);
  });

  test('typed rows: parsed, or a message naming the bad row and value', () => {
    expect(parseRows('1, 2, 3\n4 5 6')).toEqual({
      ok: true,
      value: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    expect(parseRows('  \n ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/at least one row/),
    });
    expect(parseRows('1, 2')).toMatchObject({
      ok: false,
      message: 'Row 1: enter exactly three numbers (got 2).',
    });
    expect(parseRows('1,2,3\n1, NaN, 3')).toMatchObject({
      ok: false,
      message: 'Row 2: entry 2 (“NaN”) is not a finite number.',
    });
    expect(parseRows(Array(33).fill('1,2,3').join('\n'))).toMatchObject({ ok: false });
  });

  test('mini-batches are consecutive slices, the last one possibly shorter', () => {
    const rows = generateData(3, 5);
    expect(batches(rows, 2)).toEqual([rows.slice(0, 2), rows.slice(2, 4), rows.slice(4)]);
  });

  test('solve inverts a small system', () => {
    expect(
      solve(
        [
          [0, 2],
          [1, 1],
        ],
        [4, 3],
      ).map((v) => +v.toFixed(12)),
    ).toEqual([1, 2]);
    expect(() =>
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toThrow(/singular/);
  });

  test('the ridge fit is the minimum of MSE + λΣw² (zero gradient), and weights shrink as λ grows', () => {
    const d = ridgeData(7);
    let prev = Infinity;
    for (const lambda of [0, 1e-5, 1e-3, 1e-1, 10]) {
      const f = fitRidge(d.x, d.y, 8, lambda);
      expect(f.gradientNorm).toBeLessThan(1e-8);
      expect(f.sumSquares).toBeLessThan(prev);
      expect(f.penalty).toBeCloseTo(l2Penalty(f.weights.slice(1), lambda).penalty, 12);
      prev = f.sumSquares;
    }
    // λ = 0 with degree 8 on 10 points is nearly interpolation
    expect(fitRidge(d.x, d.y, 8, 0).mse).toBeLessThan(0.02);
    // a degree-1 fit through two points is exact
    const line = fitRidge([0, 1], [1, 3], 1, 0);
    expect(polyValue(line.weights, 0.5)).toBeCloseTo(2, 10);
  });

  test('λ slider is logarithmic from 1e-6 to 10, with 0 at the left end', () => {
    expect(lambdaFromSlider(0)).toBe(0);
    expect(lambdaFromSlider(1)).toBeCloseTo(1.17e-6, 8);
    expect(lambdaFromSlider(100)).toBe(10);
  });

  test('synthetic curves: training keeps falling while validation turns up', () => {
    const { train, val } = syntheticCurves(1);
    expect(train).toHaveLength(40);
    expect(train[39]).toBeLessThan(train[15]);
    expect(val[39]).toBeGreaterThan(Math.min(...val) + 0.1);
    expect(syntheticCurves(1)).toEqual(syntheticCurves(1));
  });
});
