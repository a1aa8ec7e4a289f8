/** Exercise (chapter 0): softmax from scratch, checked against src/lib's `softmax`. */
import { softmax as reference } from '../../lib/softmax';
import { exported, fmt, type Exercise } from '../types';

export const softmaxExercise: Exercise = {
  id: 'start-here/softmax',
  chapter: 'start-here',
  title: 'Write softmax',
  starter: `// Turn scores into probabilities: exponentiate, then divide by the sum.
// Subtract the largest score first so exp never overflows.
export function softmax(logits: number[]): number[] {
  // TODO: return the probabilities (they must sum to 1)
  return logits;
}

softmax([2, 1, 0.1]);
`,
  solution: `export function softmax(logits: number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

softmax([2, 1, 0.1]);
`,
  check(mod, c, rng) {
    const f = exported<(x: number[]) => number[]>(mod, 'softmax');
    const cases = [[2, 1, 0.1], [0, 0, 0, 0], [1000, 1001, 1002], [-3.5]];
    for (let i = 0; i < 5; i++) cases.push(Array.from({ length: 2 + (i % 4) }, () => rng.normal() * 4));
    for (const x of cases) {
      c.run(`softmax([${x.map((v) => +v.toFixed(3)).join(', ')}])`, () => {
        const got = f([...x]);
        const sum = Array.isArray(got) ? got.reduce((a: number, b: number) => a + b, 0) : NaN;
        const label = `softmax([${x.map((v) => +v.toFixed(3)).join(', ')}])`;
        if (c.that(Math.abs(sum - 1) < 1e-6, `${label} sums to ${fmt(sum)}, not 1`)) {
          c.close(got, reference(x).weights, label);
        }
      });
    }
  },
};
