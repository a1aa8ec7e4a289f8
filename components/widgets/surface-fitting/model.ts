/**
 * Pure logic of the surface-fitting demo (no DOM): the problem the demo fits (src/lib/surface.ts with a
 * fixed grid and RBF basis), the largest stable learning rate 2/λmax of its quadratic loss, and a
 * step-by-step trainer with divergence detection and a suggested recovery learning rate.
 */
import type { NumberRule } from '../shared/parse';
import { symmetricEigen, transpose, matmul } from '../../../src/lib/matrix';
import { createRng } from '../../../src/lib/rng';
import {
  TARGET_SURFACES,
  createSurfaceProblem,
  evaluateSurface,
  initSurfaceParams,
  surfaceStep,
  type SurfaceProblem,
  type TargetName,
} from '../../../src/lib/surface';

/** The grid the demo samples: 21 × 21 points over [−2, 2]². */
export const GRID = { xMin: -2, xMax: 2, yMin: -2, yMax: 2, n: 21 } as const;
/** The model: a bias plus 5 × 5 Gaussian bumps of width 0.7. */
export const BASIS = { kind: 'rbf', centersPerAxis: 5, width: 0.7 } as const;
/** Seed and scale of the rough initial weights. */
export const INIT = { seed: 3, scale: 0.6 } as const;
/** Error growing this many steps in a row counts as divergence (as fitSurface's default). */
export const GROWTH_PATIENCE = 3;
/** Stop (converged) once an iteration changes the error by less than this. */
export const TOL = 1e-10;
/** At most this many iterations per run. */
export const MAX_ITERATIONS = 5000;

export const TARGETS: { id: TargetName; label: string }[] = [
  { id: 'sin-cos', label: 'sin(x)·cos(y)' },
  { id: 'saddle', label: 'saddle x² − y²' },
  { id: 'gaussian-bump', label: 'Gaussian bump exp(−(x² + y²))' },
];

export function isTarget(id: string): id is TargetName {
  return Object.hasOwn(TARGET_SURFACES, id);
}

/** The fitting problem for a target, with the curvature that bounds the learning rate. */
export interface Demo {
  problem: SurfaceProblem;
  /** Largest eigenvalue of the Hessian (2/N)·ΦᵀΦ of the MSE. */
  lambdaMax: number;
  /** Gradient descent converges only for lr < 2/λmax. */
  stableLr: number;
}

const hessianCache = new Map<string, number>();

/** Build the demo problem for a target; λmax depends only on the basis and grid, so it is cached. */
export function createDemo(target: TargetName): Demo {
  const problem = createSurfaceProblem(target, GRID, BASIS);
  const key = JSON.stringify([GRID, BASIS]);
  let lambdaMax = hessianCache.get(key);
  if (lambdaMax === undefined) {
    const n = problem.features.length;
    const h = matmul(transpose(problem.features), problem.features).map((row) => row.map((v) => (2 * v) / n));
    lambdaMax = Math.max(...symmetricEigen(h).values);
    hessianCache.set(key, lambdaMax);
  }
  return { problem, lambdaMax, stableLr: 2 / lambdaMax };
}

/** Trainer state: the weights, their surface and the error history. */
export interface TrainerState {
  iteration: number;
  params: number[];
  surface: number[][];
  error: number;
  /** Error after each iteration, starting with iteration 0 (the initial surface). */
  errors: number[];
  /** Consecutive iterations the error grew. */
  growth: number;
  status: 'ready' | 'diverged' | 'converged' | 'max-iterations';
  /** Iteration at which divergence was detected. */
  divergedAt: number | null;
}

/** The rough initial surface: seeded random weights. */
export function initialState(demo: Demo): TrainerState {
  const params = initSurfaceParams(demo.problem, createRng(INIT.seed), INIT.scale);
  const ev = evaluateSurface(demo.problem, params);
  return {
    iteration: 0,
    params,
    surface: ev.surface,
    error: ev.error,
    errors: [ev.error],
    growth: 0,
    status: 'ready',
    divergedAt: null,
  };
}

/** One gradient-descent iteration with src/lib's surfaceStep; detects divergence and convergence. */
export function step(demo: Demo, s: TrainerState, lr: number): TrainerState {
  if (s.status !== 'ready') return s;
  const r = surfaceStep(demo.problem, s.params, lr);
  const iteration = s.iteration + 1;
  const growth = r.growing ? s.growth + 1 : 0;
  const diverged = r.diverged || growth >= GROWTH_PATIENCE;
  const status = diverged
    ? 'diverged'
    : Math.abs(r.previousError - r.error) < TOL
      ? 'converged'
      : iteration >= MAX_ITERATIONS
        ? 'max-iterations'
        : 'ready';
  return {
    iteration,
    params: r.params,
    surface: r.surface,
    error: r.error,
    errors: [...s.errors, r.error],
    growth,
    status,
    divergedAt: diverged ? iteration : null,
  };
}

/** A learning rate to recover with after divergence: a quarter of the failed one, and below 2/λmax. */
export function recoveryLr(lr: number, stableLr: number): number {
  return Number(Math.min(lr / 4, 0.9 * stableLr).toPrecision(2));
}

/** Largest |model − target| over the grid. */
export function maxDifference(surface: readonly number[][], target: readonly number[][]): number {
  let m = 0;
  surface.forEach((row, i) => row.forEach((v, j) => (m = Math.max(m, Math.abs(v - target[i][j])))));
  return m;
}

/** The typed learning rate: a number above 0 and at most 100. */
export const LR: NumberRule = { label: 'The learning rate', min: 0, max: 100, minExclusive: true };
