/** Exercise (chapter 10): the surface-fitting loop, checked against src/lib's fitSurface. */
import { createSurfaceProblem, fitSurface } from '../../lib/surface';
import { exported, starterFrom, type Exercise } from '../types';

const solution = `import { createSurfaceProblem, evaluateSurface } from 'lib';

export function fit(problem: any, params: number[], lr: number, steps: number): number[] {
  const errors: number[] = [];
  for (let i = 0; i < steps; i++) {
    const { error, gradient } = evaluateSurface(problem, params);
    errors.push(error);
    params = params.map((w, j) => w - lr * gradient[j]);
  }
  errors.push(evaluateSurface(problem, params).error);
  return errors;
}

const problem = createSurfaceProblem('sin-cos', { xMin: -3, xMax: 3, yMin: -3, yMax: 3, n: 12 }, { kind: 'polynomial', degree: 3 });
const errors = fit(problem, new Array(problem.features[0].length).fill(0), 0.01, 40);
plot(errors, { title: 'error per step' });
errors.at(-1);
`;

export const fitLoopExercise: Exercise = {
  id: 'learning-as-refinement/fit-loop',
  chapter: 'learning-as-refinement',
  title: 'The refinement loop',
  starter: starterFrom(
    solution,
    [
      'export function fit(',
      `// fit(problem, params, lr, steps): repeat \`steps\` times: evaluate the model at params (its error and
// gradient), then step downhill: params = params - lr * gradient. Return the error before each step
// and after the last one (steps + 1 numbers).
export function fit(`,
    ],
    [
      '    params = params.map((w, j) => w - lr * gradient[j]);',
      '    // TODO: update params with the gradient',
    ],
  ),
  solution,
  check(mod, c, rng) {
    const f = exported<(p: unknown, params: number[], lr: number, steps: number) => number[]>(mod, 'fit');
    const grid = { xMin: -2, xMax: 2, yMin: -2, yMax: 2, n: 8 };
    const cases = [
      { target: 'sin-cos' as const, basis: { kind: 'polynomial' as const, degree: 2 }, lr: 0.01 },
      {
        target: 'gaussian-bump' as const,
        basis: { kind: 'rbf' as const, centersPerAxis: 3, width: 1 },
        lr: 0.1,
      },
    ];
    for (const { target, basis, lr } of cases) {
      const problem = createSurfaceProblem(target, grid, basis);
      const p0 = problem.features[0].map(() => +rng.normal(0, 0.1).toFixed(3));
      const ref = fitSurface(problem, p0, { lr, steps: 10, tol: 0, growthPatience: 1000 }).iterations.map(
        (it) => it.error,
      );
      const what = `fit(${target}, ${basis.kind} basis, lr ${lr}, 10 steps): error list`;
      c.run(what, () => c.close(f(problem, p0.slice(), lr, 10), ref, what, 1e-9));
    }
  },
};
