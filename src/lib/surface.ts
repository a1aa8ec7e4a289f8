/**
 * Surface fitting, the notes' analogy for training: a target surface z = f(x, y) sampled on a grid, and a
 * parametric model z = Σⱼ wⱼ·φⱼ(x, y) (radial basis functions or a polynomial basis) refined by gradient descent
 * on the mean squared error. Every iteration exposes its surface and error; divergence is detected and reported.
 */
import { matVec, transpose, type Matrix, type Vector } from './matrix';
import type { Rng } from './rng';
import { checkInt, checkNumber, checkRange, checkVector, fail } from './validate';

/** Built-in target surfaces. */
export const TARGET_SURFACES = {
  /** z = sin(x)·cos(y). */
  'sin-cos': (x: number, y: number) => Math.sin(x) * Math.cos(y),
  /** z = x² − y², a saddle. */
  saddle: (x: number, y: number) => x * x - y * y,
  /** z = exp(−(x² + y²)), a Gaussian bump. */
  'gaussian-bump': (x: number, y: number) => Math.exp(-(x * x + y * y)),
} as const;

/** Name of a built-in target surface. */
export type TargetName = keyof typeof TARGET_SURFACES;

/** The sampling grid: n points per axis over [min, max]. */
export interface GridSpec {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  n: number;
}

/** Basis of the model: Gaussian RBFs on an m×m grid of centres with a width, or monomials xᵃyᵇ with a+b <= degree. */
export type BasisSpec =
  { kind: 'rbf'; centersPerAxis: number; width: number } | { kind: 'polynomial'; degree: number };

/** A fitting problem: the grid, the target and the basis features at every grid point. */
export interface SurfaceProblem {
  /** Grid x coordinates, (n). */
  xs: Vector;
  /** Grid y coordinates, (n). */
  ys: Vector;
  /** Target z[iy][ix], (n, n). */
  target: Matrix;
  /** Basis features of each grid point (row-major over y then x), (N = n², P). */
  features: Matrix;
  /** A readable name per feature, (P). */
  featureNames: string[];
}

/** Evenly spaced values over [a, b], (n). */
function linspace(a: number, b: number, n: number): Vector {
  return Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
}

/** Build a problem: sample the target (a name or a function) on the grid and evaluate the basis there. */
export function createSurfaceProblem(
  target: TargetName | ((x: number, y: number) => number),
  grid: GridSpec,
  basis: BasisSpec,
): SurfaceProblem {
  const fn = 'createSurfaceProblem';
  const f = typeof target === 'function' ? target : TARGET_SURFACES[target];
  if (typeof f !== 'function' || (typeof target === 'string' && !Object.hasOwn(TARGET_SURFACES, target))) {
    fail(
      fn,
      `target must be one of ${Object.keys(TARGET_SURFACES).join(', ')} or a function, got ${String(target)}`,
    );
  }
  for (const key of ['xMin', 'xMax', 'yMin', 'yMax'] as const) checkNumber(fn, `grid.${key}`, grid[key]);
  if (!(grid.xMin < grid.xMax)) fail(fn, `grid.xMin must be < grid.xMax, got ${grid.xMin} >= ${grid.xMax}`);
  if (!(grid.yMin < grid.yMax)) fail(fn, `grid.yMin must be < grid.yMax, got ${grid.yMin} >= ${grid.yMax}`);
  checkInt(fn, 'grid.n', grid.n, 2, 200);
  const xs = linspace(grid.xMin, grid.xMax, grid.n); // (n)
  const ys = linspace(grid.yMin, grid.yMax, grid.n); // (n)
  const targetZ = ys.map((y) => xs.map((x) => f(x, y))); // (n, n)
  targetZ.forEach((row, i) =>
    row.forEach((z, j) => {
      if (!Number.isFinite(z)) fail(fn, `target(${xs[j]}, ${ys[i]}) must be finite, got ${z}`);
    }),
  );
  let phi: ((x: number, y: number) => number)[];
  let featureNames: string[];
  if (basis?.kind === 'rbf') {
    checkInt(fn, 'basis.centersPerAxis', basis.centersPerAxis, 1, 50);
    checkRange(fn, 'basis.width', basis.width, 0, Infinity, { loOpen: true, hiOpen: true });
    const cx = linspace(grid.xMin, grid.xMax, basis.centersPerAxis);
    const cy = linspace(grid.yMin, grid.yMax, basis.centersPerAxis);
    const centers = cy.flatMap((b) => cx.map((a) => [a, b] as const));
    const w2 = 2 * basis.width * basis.width;
    phi = [
      () => 1,
      ...centers.map(
        ([a, b]) =>
          (x: number, y: number) =>
            Math.exp(-((x - a) ** 2 + (y - b) ** 2) / w2),
      ),
    ];
    featureNames = ['1', ...centers.map(([a, b]) => `rbf(${+a.toFixed(3)}, ${+b.toFixed(3)})`)];
  } else if (basis?.kind === 'polynomial') {
    checkInt(fn, 'basis.degree', basis.degree, 0, 10);
    const powers: [number, number][] = [];
    for (let total = 0; total <= basis.degree; total++)
      for (let a = total; a >= 0; a--) powers.push([a, total - a]);
    phi = powers.map(
      ([a, b]) =>
        (x: number, y: number) =>
          x ** a * y ** b,
    );
    featureNames = powers.map(([a, b]) =>
      a + b === 0 ? '1' : `${a ? `x${a > 1 ? `^${a}` : ''}` : ''}${b ? `y${b > 1 ? `^${b}` : ''}` : ''}`,
    );
  } else {
    fail(fn, `basis.kind must be 'rbf' or 'polynomial', got ${String((basis as { kind?: unknown })?.kind)}`);
  }
  const features = ys.flatMap((y) => xs.map((x) => phi.map((p) => p(x, y)))); // (N, P)
  return { xs, ys, target: targetZ, features, featureNames };
}

/** Initial weights (P): zeros, or N(0, scale²) draws from a seeded rng. */
export function initSurfaceParams(problem: SurfaceProblem, rng?: Rng, scale = 0.1): Vector {
  const p = problem.features[0].length;
  checkNumber('initSurfaceParams', 'scale', scale);
  return Array.from({ length: p }, () => (rng ? rng.normal(0, scale) : 0));
}

/** The model's surface, error and gradient at some weights. */
export interface SurfaceEvaluation {
  /** Model z[iy][ix], (n, n). */
  surface: Matrix;
  /** Mean squared error over the grid. */
  error: number;
  /** ∂error/∂weights = (2/N)·Φᵀ(Φw − z), (P). */
  gradient: Vector;
}

/** Evaluate weights (P) on the problem's grid: surface (n, n), MSE and its gradient (P). */
export function evaluateSurface(problem: SurfaceProblem, params: readonly number[]): SurfaceEvaluation {
  const p = problem.features[0].length;
  checkVector('evaluateSurface', 'params', params, p, true);
  const n = problem.xs.length;
  const pred = matVec(problem.features, params); // (N, P) @ (P) → (N)
  const target = problem.target.flat(); // (N)
  const resid = pred.map((z, i) => z - target[i]); // (N)
  const error = resid.reduce((s, r) => s + r * r, 0) / resid.length;
  const gradient = matVec(transpose(problem.features), resid).map((g) => (2 * g) / resid.length); // (P)
  const surface = Array.from({ length: n }, (_, i) => pred.slice(i * n, (i + 1) * n)); // (n, n)
  return { surface, error, gradient };
}

/** One gradient-descent iteration's outcome. */
export interface SurfaceStep extends SurfaceEvaluation {
  /** New weights w − lr·∇, (P). */
  params: Vector;
  /** Error before the step (at the old weights). */
  previousError: number;
  /** The gradient at the old weights, (P) (the `gradient` field is at the new weights). */
  stepGradient: Vector;
  /** Did the error increase? */
  growing: boolean;
  /** Non-finite weights or error: the fit has blown up. */
  diverged: boolean;
}

/** One gradient-descent step of learning rate lr > 0 from weights (P): new weights, surface and error. */
export function surfaceStep(problem: SurfaceProblem, params: readonly number[], lr: number): SurfaceStep {
  checkRange('surfaceStep', 'lr', lr, 0, Infinity, { loOpen: true, hiOpen: true });
  const before = evaluateSurface(problem, params);
  const next = params.map((w, j) => w - lr * before.gradient[j]); // (P)
  const after = evaluateSurface(problem, next);
  const diverged = !Number.isFinite(after.error) || next.some((w) => !Number.isFinite(w));
  return {
    ...after,
    params: next,
    previousError: before.error,
    stepGradient: before.gradient,
    growing: !(after.error <= before.error),
    diverged,
  };
}

/** One recorded iteration of a fit. */
export interface SurfaceIteration {
  iteration: number;
  params: Vector;
  surface: Matrix;
  error: number;
}

/** A whole fit: every iteration (0 = initial) and how it ended. */
export interface SurfaceFit {
  iterations: SurfaceIteration[];
  /** 'converged' (error change below tol), 'diverged' (non-finite, or error grew `growthPatience` steps in a row) or 'max-steps'. */
  status: 'converged' | 'diverged' | 'max-steps';
  /** Iteration at which divergence was detected, or null. */
  divergedAt: number | null;
}

/**
 * Fit by gradient descent from params0 (P) for at most `steps` iterations; stop early on convergence
 * (|Δerror| < tol) or divergence (non-finite, or error growing `growthPatience` consecutive steps).
 */
export function fitSurface(
  problem: SurfaceProblem,
  params0: readonly number[],
  options: { lr: number; steps: number; tol?: number; growthPatience?: number },
): SurfaceFit {
  const fn = 'fitSurface';
  checkInt(fn, 'steps', options.steps, 1);
  const tol = options.tol ?? 0;
  checkRange(fn, 'tol', tol, 0, Infinity, { hiOpen: true });
  const growthPatience = options.growthPatience ?? 3;
  checkInt(fn, 'growthPatience', growthPatience, 1);
  const first = evaluateSurface(problem, params0);
  const iterations: SurfaceIteration[] = [
    { iteration: 0, params: params0.slice(), surface: first.surface, error: first.error },
  ];
  let params = params0.slice();
  let growth = 0;
  for (let it = 1; it <= options.steps; it++) {
    const s = surfaceStep(problem, params, options.lr);
    params = s.params;
    iterations.push({ iteration: it, params, surface: s.surface, error: s.error });
    growth = s.growing ? growth + 1 : 0;
    if (s.diverged || growth >= growthPatience) return { iterations, status: 'diverged', divergedAt: it };
    if (Math.abs(s.previousError - s.error) < tol)
      return { iterations, status: 'converged', divergedAt: null };
  }
  return { iterations, status: 'max-steps', divergedAt: null };
}
