/** Exercise (chapter 4): inverted dropout with a given mask, checked against src/lib's dropout. */
import { dropout } from '../../lib/dropout';
import { exported, show, type Exercise } from '../types';

export const invertedDropoutExercise: Exercise = {
  id: 'dropout-and-activations/inverted-dropout',
  chapter: 'dropout-and-activations',
  title: 'Inverted dropout',
  starter: `// keep[i] says whether unit i survives. In training, inverted dropout zeroes the dropped units
// and scales the survivors by 1 / (1 - p), so the expected value of every unit stays the same.
export function invertedDropout(x: number[], keep: boolean[], p: number): number[] {
  // TODO: scale the kept units
  return x.map((v, i) => (keep[i] ? v : 0));
}

invertedDropout([1, 2, 3, 4], [true, false, true, true], 0.25);
`,
  solution: `export function invertedDropout(x: number[], keep: boolean[], p: number): number[] {
  return x.map((v, i) => (keep[i] ? v / (1 - p) : 0));
}

invertedDropout([1, 2, 3, 4], [true, false, true, true], 0.25);
`,
  check(mod, c, rng) {
    const f = exported<(x: number[], keep: boolean[], p: number) => number[]>(mod, 'invertedDropout');
    const cases: [number[], boolean[], number][] = [[[1, 2, 3, 4], [true, false, true, true], 0.25]];
    for (const p of [0.1, 0.5, 0.8]) {
      const x = Array.from({ length: 6 }, () => +rng.normal().toFixed(3));
      cases.push([x, x.map(() => rng.next() >= p), p]);
    }
    for (const [x, keep, p] of cases) {
      const label = `invertedDropout(${show(x)}, mask, p = ${p})`;
      c.run(label, () => c.close(f(x, keep, p), dropout(x, p, { training: true, mask: keep }).output, label));
    }
  },
};
