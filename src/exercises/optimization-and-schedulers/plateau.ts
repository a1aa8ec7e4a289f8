/** Exercise (chapter 8): ReduceLROnPlateau on a list of losses, checked against src/lib's plateauSchedule. */
import { plateauSchedule } from '../../lib/schedulers/plateau';
import { exported, show, starterFrom, type Exercise } from '../types';

const solution = `export function plateau(losses: number[], lr: number, factor: number, patience: number): number[] {
  let best = Infinity;
  let bad = 0;
  return losses.map((loss) => {
    if (loss < best) {
      best = loss;
      bad = 0;
    } else {
      bad++;
      if (bad > patience) {
        lr *= factor;
        bad = 0;
      }
    }
    return lr;
  });
}

plateau([1.0, 0.8, 0.7, 0.71, 0.72, 0.73, 0.74, 0.6, 0.61, 0.62, 0.63], 0.1, 0.5, 2);
`;

export const plateauExercise: Exercise = {
  id: 'optimization-and-schedulers/plateau',
  chapter: 'optimization-and-schedulers',
  title: 'ReduceLROnPlateau by hand',
  starter: starterFrom(
    solution,
    [
      'export function plateau(',
      `// After each epoch's validation loss: if it beats the best so far, reset the count of bad epochs;
// otherwise count one more, and when the count exceeds patience, multiply lr by factor and reset the count.
// (PyTorch's defaults also use a small relative threshold; here a loss must simply be lower than the best.)
// Return the learning rate after each epoch.
export function plateau(`,
    ],
    [
      `      if (bad > patience) {
        lr *= factor;
        bad = 0;
      }
`,
      '      // TODO: reduce lr when bad > patience, and reset bad\n',
    ],
  ),
  solution,
  check(mod, c, rng) {
    const f = exported<(l: number[], lr: number, factor: number, patience: number) => number[]>(
      mod,
      'plateau',
    );
    const cases: [number[], number, number, number][] = [
      [[1.0, 0.8, 0.7, 0.71, 0.72, 0.73, 0.74, 0.6, 0.61, 0.62, 0.63], 0.1, 0.5, 2],
    ];
    for (let i = 0; i < 3; i++) {
      let l = 2;
      const losses = Array.from({ length: 16 }, () => +(l = l * (rng.next() < 0.5 ? 0.9 : 1.05)).toFixed(4));
      cases.push([losses, 0.01, 0.1 * (i + 2), i + 1]);
    }
    for (const [losses, lr, factor, patience] of cases) {
      const what = `plateau(${show(losses)}, lr ${lr}, factor ${factor}, patience ${patience})`;
      const ref = plateauSchedule([lr], losses, { factor, patience, threshold: 0, eps: 0 }).map((r) => r[0]);
      c.run(what, () => c.close(f(losses, lr, factor, patience), ref, what, 1e-12));
    }
  },
};
