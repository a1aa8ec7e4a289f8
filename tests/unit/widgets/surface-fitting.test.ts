import { describe, expect, test } from 'vitest';
import { fmt, parseNumber } from '../../../components/widgets/shared/parse';
import * as model from '../../../components/widgets/surface-fitting/model';
import { createSurfaceProblem, fitSurface } from '../../../src/lib/surface';

describe('surface-fitting model', () => {
  test('the demo problem is src/lib’s, and its stable learning rate bounds convergence', () => {
    const demo = model.createDemo('sin-cos');
    expect(demo.problem).toEqual(createSurfaceProblem('sin-cos', model.GRID, model.BASIS));
    expect(demo.stableLr).toBeCloseTo(2 / demo.lambdaMax, 12);
    for (const [factor, expected] of [
      [0.8, 'ready'],
      [1.1, 'diverged'],
    ] as const) {
      let s = model.initialState(demo);
      for (let i = 0; i < 200 && s.status === 'ready'; i++) s = model.step(demo, s, factor * demo.stableLr);
      expect(s.status).toBe(expected);
    }
  });

  test('stepping equals src/lib’s fitSurface iteration by iteration', () => {
    const demo = model.createDemo('gaussian-bump');
    let s = model.initialState(demo);
    const fit = fitSurface(demo.problem, s.params, { lr: 0.5, steps: 25 });
    for (let i = 0; i < 25; i++) s = model.step(demo, s, 0.5);
    expect(s.errors).toEqual(fit.iterations.map((it) => it.error));
    expect(s.params).toEqual(fit.iterations[25].params);
    expect(s.errors[25]).toBeLessThan(s.errors[0] / 10);
  });

  test('divergence is detected, recorded, and stops further steps; recovery lr is safe', () => {
    const demo = model.createDemo('saddle');
    let s = model.initialState(demo);
    while (s.status === 'ready') s = model.step(demo, s, 5);
    expect(s.status).toBe('diverged');
    expect(s.divergedAt).toBe(s.iteration);
    expect(model.step(demo, s, 0.1)).toBe(s);
    expect(model.recoveryLr(5, demo.stableLr)).toBeLessThan(demo.stableLr);
    expect(model.recoveryLr(0.8, 0.737)).toBe(0.2);
  });

  test('an enormous learning rate overflows to a reported divergence, not a crash', () => {
    const demo = model.createDemo('sin-cos');
    let s = model.initialState(demo);
    for (let i = 0; i < 50 && s.status === 'ready'; i++) s = model.step(demo, s, 100);
    expect(s.status).toBe('diverged');
    expect(fmt(Infinity, { digits: 4, scientific: true })).toBe('∞');
  });

  test('convergence and the iteration cap end a run', () => {
    expect(model.MAX_ITERATIONS).toBeGreaterThan(100);
    const demo = model.createDemo('gaussian-bump');
    const s = { ...model.initialState(demo), iteration: model.MAX_ITERATIONS - 1 };
    expect(model.step(demo, s, 0.1).status).toBe('max-iterations');
  });

  test('helpers: targets, differences, numbers, typed learning rates', () => {
    expect(model.isTarget('saddle')).toBe(true);
    expect(model.isTarget('toString')).toBe(false);
    expect(model.maxDifference([[1, 2]], [[1.5, -1]])).toBe(3);
    expect(fmt(1.5e-7, { digits: 4, scientific: true })).toBe('1.500e-7');
    expect(parseNumber(' 0.25 ', model.LR)).toEqual({ ok: true, value: 0.25 });
    for (const bad of ['', '0', '-1', 'NaN', '101', 'x'])
      expect(parseNumber(bad, model.LR)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/above 0 and at most 100/),
      });
  });
});
