/** Exercise (chapter 3): one training step by hand (forward, loss, backward, update), checked against src/lib's SGD. */
import { exported, show, type Exercise } from '../types';

export const trainStepExercise: Exercise = {
  id: 'training-and-inference/train-step',
  chapter: 'training-and-inference',
  title: 'One training step by hand',
  starter: `// A model with one weight: prediction = w * x. Loss = mean((w*x - y)^2).
// trainStep returns the new weight after one step of gradient descent with learning rate lr.
export function trainStep(w: number, xs: number[], ys: number[], lr: number): number {
  // 1. forward: predictions
  const preds = xs.map((x) => w * x);
  // 2. loss (not needed for the update, but print it to watch it fall)
  const loss = preds.reduce((s, p, i) => s + (p - ys[i]) ** 2, 0) / xs.length;
  // 3. backward: dLoss/dw = mean(2 * (w*x - y) * x)
  const grad = 0; // TODO: compute the gradient
  // 4. update
  return w - lr * grad;
}

let w = 0;
for (let step = 0; step < 5; step++) {
  w = trainStep(w, [1, 2, 3], [2, 4, 6], 0.05);
  console.log('step', step, 'w', w);
}
`,
  solution: `export function trainStep(w: number, xs: number[], ys: number[], lr: number): number {
  const preds = xs.map((x) => w * x);
  const grad = preds.reduce((s, p, i) => s + 2 * (p - ys[i]) * xs[i], 0) / xs.length;
  return w - lr * grad;
}

let w = 0;
for (let step = 0; step < 5; step++) {
  w = trainStep(w, [1, 2, 3], [2, 4, 6], 0.05);
  console.log('step', step, 'w', w);
}
`,
  check(mod, c, rng) {
    const step = exported<(w: number, xs: number[], ys: number[], lr: number) => number>(mod, 'trainStep');
    const ref = (w: number, xs: number[], ys: number[], lr: number) =>
      w - (lr * xs.reduce((s, x, i) => s + 2 * (w * x - ys[i]) * x, 0)) / xs.length;
    const cases: [number, number[], number[], number][] = [[0, [1, 2, 3], [2, 4, 6], 0.05]];
    for (let i = 0; i < 4; i++) {
      const xs = Array.from({ length: 3 + i }, () => +rng.normal().toFixed(3));
      cases.push([
        +rng.normal().toFixed(3),
        xs,
        xs.map((x) => +(1.5 * x + rng.normal(0, 0.1)).toFixed(3)),
        0.1,
      ]);
    }
    for (const [w, xs, ys, lr] of cases) {
      const label = `trainStep(${w}, ${show(xs)}, …, ${lr})`;
      c.run(label, () => c.close([step(w, xs, ys, lr)], [ref(w, xs, ys, lr)], label, 1e-9));
    }
  },
};
