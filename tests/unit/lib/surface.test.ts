import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('surface');

describe('surface fitting: gradient descent against torch autograd', () => {
  it.each(cases(g.cases))('$target with $basis.kind basis', (c) => {
    const problem = lib.createSurfaceProblem(c.target as lib.TargetName, c.grid, c.basis as lib.BasisSpec);
    expectClose(problem.target, c.targetZ, 1e-14, 1e-15);
    expectClose(problem.features, c.features, 1e-14, 1e-15);
    let params = lib.initSurfaceParams(problem);
    c.iterations.forEach(
      (it: { params: number[]; surface: number[][]; error: number; gradient: number[] }, i: number) => {
        expectClose(params, it.params, 1e-10, 1e-13);
        const e = lib.evaluateSurface(problem, params);
        expectClose(e.surface, it.surface, 1e-10, 1e-13);
        expectClose(e.error, it.error, 1e-10);
        expectClose(e.gradient, it.gradient, 1e-10, 1e-13);
        if (i + 1 < c.iterations.length) params = lib.surfaceStep(problem, params, c.lr).params;
      },
    );
    const fit = lib.fitSurface(problem, lib.initSurfaceParams(problem), { lr: c.lr, steps: 5 });
    expect(fit.iterations).toHaveLength(6);
    expectClose(
      fit.iterations.map((x) => x.error),
      c.iterations.map((x: { error: number }) => x.error),
      1e-10,
    );
  });
});

describe('surface fitting behaviour', () => {
  const grid = { xMin: -2, xMax: 2, yMin: -2, yMax: 2, n: 9 };

  it('a good learning rate lowers the error every step and can converge', () => {
    const problem = lib.createSurfaceProblem('saddle', grid, { kind: 'polynomial', degree: 2 });
    expect(problem.featureNames).toEqual(['1', 'x', 'y', 'x^2', 'xy', 'y^2']);
    const fit = lib.fitSurface(problem, lib.initSurfaceParams(problem), {
      lr: 0.02,
      steps: 5000,
      tol: 1e-14,
    });
    expect(fit.status).toBe('converged');
    const errs = fit.iterations.map((x) => x.error);
    errs.slice(1).forEach((e, i) => expect(e).toBeLessThanOrEqual(errs[i]));
    expect(errs.at(-1)).toBeLessThan(1e-6);
  });

  it('too large a learning rate is reported as divergence', () => {
    const problem = lib.createSurfaceProblem('saddle', grid, { kind: 'polynomial', degree: 2 });
    const step = lib.surfaceStep(problem, lib.initSurfaceParams(problem), 5);
    expect(step.growing).toBe(true);
    const fit = lib.fitSurface(problem, lib.initSurfaceParams(problem), { lr: 5, steps: 100 });
    expect(fit.status).toBe('diverged');
    expect(fit.divergedAt).toBe(3);
    const blown = lib.fitSurface(problem, lib.initSurfaceParams(problem), {
      lr: 1e200,
      steps: 100,
      growthPatience: 1000,
    });
    expect(blown.status).toBe('diverged');
    expect(blown.divergedAt).toBe(1);
    expect(Number.isFinite(blown.iterations.at(-1)!.error)).toBe(false);
  });

  it('runs to max-steps, accepts custom targets and seeded initial weights', () => {
    const problem = lib.createSurfaceProblem(
      (x, y) => x + y,
      { ...grid, n: 3 },
      { kind: 'rbf', centersPerAxis: 2, width: 1 },
    );
    expect(problem.featureNames).toEqual(['1', 'rbf(-2, -2)', 'rbf(2, -2)', 'rbf(-2, 2)', 'rbf(2, 2)']);
    expect(lib.fitSurface(problem, lib.initSurfaceParams(problem), { lr: 0.1, steps: 3 }).status).toBe(
      'max-steps',
    );
    const a = lib.initSurfaceParams(problem, lib.createRng(3));
    expect(a).toEqual(lib.initSurfaceParams(problem, lib.createRng(3)));
    expect(a.some((w) => w !== 0)).toBe(true);
    expect(lib.TARGET_SURFACES['gaussian-bump'](0, 0)).toBe(1);
  });

  it.each([
    [
      'target name',
      () => lib.createSurfaceProblem('wave' as lib.TargetName, grid, { kind: 'polynomial', degree: 1 }),
      /target must be one of sin-cos, saddle, gaussian-bump or a function, got wave/,
    ],
    [
      'grid order',
      () => lib.createSurfaceProblem('saddle', { ...grid, xMin: 3 }, { kind: 'polynomial', degree: 1 }),
      /grid.xMin must be < grid.xMax, got 3 >= 2/,
    ],
    [
      'grid y order',
      () => lib.createSurfaceProblem('saddle', { ...grid, yMax: -5 }, { kind: 'polynomial', degree: 1 }),
      /grid.yMin must be < grid.yMax/,
    ],
    [
      'grid NaN',
      () => lib.createSurfaceProblem('saddle', { ...grid, yMin: NaN }, { kind: 'polynomial', degree: 1 }),
      /grid.yMin must be a number, got NaN/,
    ],
    [
      'grid n',
      () => lib.createSurfaceProblem('saddle', { ...grid, n: 1 }, { kind: 'polynomial', degree: 1 }),
      /grid.n must be an integer in \[2, 200\], got 1/,
    ],
    [
      'basis kind',
      () => lib.createSurfaceProblem('saddle', grid, { kind: 'fourier' } as unknown as lib.BasisSpec),
      /basis.kind must be 'rbf' or 'polynomial', got fourier/,
    ],
    [
      'rbf width',
      () => lib.createSurfaceProblem('saddle', grid, { kind: 'rbf', centersPerAxis: 2, width: 0 }),
      /basis.width must be in \(0, Infinity\), got 0/,
    ],
    [
      'degree',
      () => lib.createSurfaceProblem('saddle', grid, { kind: 'polynomial', degree: 11 }),
      /basis.degree must be an integer in \[0, 10\]/,
    ],
    [
      'bad target value',
      () => lib.createSurfaceProblem(() => NaN, grid, { kind: 'polynomial', degree: 1 }),
      /target\(-2, -2\) must be finite, got NaN/,
    ],
    [
      'params length',
      () =>
        lib.evaluateSurface(lib.createSurfaceProblem('saddle', grid, { kind: 'polynomial', degree: 1 }), [1]),
      /evaluateSurface: params must have length 3, got 1/,
    ],
    [
      'lr',
      () =>
        lib.surfaceStep(
          lib.createSurfaceProblem('saddle', grid, { kind: 'polynomial', degree: 1 }),
          [0, 0, 0],
          0,
        ),
      /surfaceStep: lr must be in \(0, Infinity\), got 0/,
    ],
    [
      'steps',
      () =>
        lib.fitSurface(
          lib.createSurfaceProblem('saddle', grid, { kind: 'polynomial', degree: 1 }),
          [0, 0, 0],
          {
            lr: 0.1,
            steps: 0,
          },
        ),
      /fitSurface: steps must be an integer >= 1, got 0/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
