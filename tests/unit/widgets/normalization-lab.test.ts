import { describe, expect, test } from 'vitest';
import * as model from '../../../components/widgets/normalization-lab/model';
import { earlyStopping, l2Penalty } from '../../../src/lib/regularization';
import { loadGolden } from '../helpers/golden';

describe('normalization lab model', () => {
  test('generated data is seeded, has the requested rows and three very different scales', () => {
    const a = model.generateData(1, 8);
    expect(a).toEqual(model.generateData(1, 8));
    expect(a).not.toEqual(model.generateData(2, 8));
    expect(a).toHaveLength(8);
    const mean = (j: number) => a.reduce((s, r) => s + r[j], 0) / a.length;
    expect(mean(0)).toBeGreaterThan(50);
    expect(mean(1)).toBeGreaterThan(0.5);
    expect(mean(1)).toBeLessThan(10);
    expect(Math.abs(mean(2))).toBeLessThan(0.2);
  });

  test('typed rows: parsed, or a message naming the bad row and value', () => {
    expect(model.parseRows('1, 2, 3\n4 5 6')).toEqual({
      ok: true,
      value: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    });
    expect(model.parseRows('  \n ')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/at least one row/),
    });
    expect(model.parseRows('1, 2')).toMatchObject({
      ok: false,
      message: 'Row 1: enter exactly three numbers (got 2).',
    });
    expect(model.parseRows('1,2,3\n1, NaN, 3')).toMatchObject({
      ok: false,
      message: 'Row 2: entry 2 (“NaN”) is not a finite number.',
    });
    expect(model.parseRows(Array(33).fill('1,2,3').join('\n'))).toMatchObject({ ok: false });
  });

  test('mini-batches are consecutive slices, the last one possibly shorter', () => {
    const rows = model.generateData(3, 5);
    expect(model.batches(rows, 2)).toEqual([rows.slice(0, 2), rows.slice(2, 4), rows.slice(4)]);
  });

  test('solve inverts a small system', () => {
    expect(
      model
        .solve(
          [
            [0, 2],
            [1, 1],
          ],
          [4, 3],
        )
        .map((v) => +v.toFixed(12)),
    ).toEqual([1, 2]);
    expect(() =>
      model.solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toThrow(/singular/);
  });

  test('the ridge fit is the minimum of MSE + λΣw² (zero gradient), and weights shrink as λ grows', () => {
    const d = model.ridgeData(7);
    let prev = Infinity;
    for (const lambda of [0, 1e-5, 1e-3, 1e-1, 10]) {
      const f = model.fitRidge(d.x, d.y, 8, lambda);
      expect(f.gradientNorm).toBeLessThan(1e-8);
      expect(f.sumSquares).toBeLessThan(prev);
      expect(f.penalty).toBeCloseTo(l2Penalty(f.weights.slice(1), lambda).penalty, 12);
      prev = f.sumSquares;
    }
    // λ = 0 with degree 8 on 10 points is nearly interpolation
    expect(model.fitRidge(d.x, d.y, 8, 0).mse).toBeLessThan(0.02);
    // a degree-1 fit through two points is exact
    const line = model.fitRidge([0, 1], [1, 3], 1, 0);
    expect(model.polyValue(line.weights, 0.5)).toBeCloseTo(2, 10);
  });

  test('λ slider is logarithmic from 1e-6 to 10, with 0 at the left end', () => {
    expect(model.lambdaFromSlider(0)).toBe(0);
    expect(model.lambdaFromSlider(1)).toBeCloseTo(1.17e-6, 8);
    expect(model.lambdaFromSlider(100)).toBe(10);
  });

  test('synthetic curves: training keeps falling while validation turns up', () => {
    const { train, val } = model.syntheticCurves(1);
    expect(train).toHaveLength(40);
    expect(train[39]).toBeLessThan(train[15]);
    expect(val[39]).toBeGreaterThan(Math.min(...val) + 0.1);
    expect(model.syntheticCurves(1)).toEqual(model.syntheticCurves(1));
  });

  test('the early-stopping golden was written for the lab’s default curve', () => {
    const golden = loadGolden('early_stopping').early_stopping[0];
    expect(golden.history).toEqual(model.syntheticCurves(1).val);
  });

  test.each([
    // the reported defect: the best epoch must come before the stop
    [
      [3, 2.9, 2.8, 1, 0.5],
      2,
      0.5,
      'Best epoch 1 (validation loss 3). Epochs 2–3 did not improve on it by more than min_delta = 0.5: that is 2 = patience, so training stops after epoch 3 and restores the weights of epoch 1.',
    ],
    [
      [3, 2, 2.5],
      1,
      0,
      'Best epoch 2 (validation loss 2). Epoch 3 did not improve on it by more than min_delta = 0: that is 1 = patience, so training stops after epoch 3 and restores the weights of epoch 2.',
    ],
    [
      [3, 2, 2.5],
      2,
      0,
      'Best epoch 2 (validation loss 2). No stop: the last epoch did not improve, fewer than patience = 2; training runs all 3 epochs.',
    ],
    [
      [3, 2, 1],
      2,
      0,
      'Best epoch 3 (validation loss 1). No stop: the last epoch improved; training runs all 3 epochs.',
    ],
  ])('early-stopping summary of %j, patience %d, min_delta %d', (val, patience, minDelta, want) => {
    const es = earlyStopping(val, { patience, minDelta });
    expect(model.earlyStoppingSummary(es, patience, minDelta, val.length)).toBe(want);
  });
});
