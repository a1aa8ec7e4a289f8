/** Runnable cells of chapter 10 (learning as refinement). */

/** The surface-fitting loop: evaluate, step downhill, repeat; plot the error and the fitted surface. */
export const surfaceLoop = `import { createSurfaceProblem, initSurfaceParams, surfaceStep, createRng } from 'lib';

const problem = createSurfaceProblem('gaussian-bump', { xMin: -2, xMax: 2, yMin: -2, yMax: 2, n: 16 }, { kind: 'rbf', centersPerAxis: 5, width: 0.8 });
let params = initSurfaceParams(problem, createRng(0));
const errors: number[] = [];
let last;
for (let step = 0; step < 100; step++) {
  last = surfaceStep(problem, params, 0.5); // one refinement: w ← w − lr · ∇error
  params = last.params;
  errors.push(last.error);
}
plot(errors, { title: 'error per step' });
plot(last!.surface, { title: 'the model after 100 steps' });
errors.at(-1)
`;
