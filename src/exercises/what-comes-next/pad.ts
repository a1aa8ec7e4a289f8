/** Exercise (chapter 12): pad a batch of sequences and build its padding mask, checked against src/lib. */
import { padSequences } from '../../lib/bucketing';
import { exported, show, type Exercise } from '../types';

export const padExercise: Exercise = {
  id: 'what-comes-next/pad',
  chapter: 'what-comes-next',
  title: 'Padding and its mask',
  starter: `// pad(seqs, padId): make every sequence as long as the longest by appending padId, and return a
// mask that is true for real tokens and false for padding, so attention can ignore the padding.
export function pad(seqs: number[][], padId = 0): { padded: number[][]; mask: boolean[][] } {
  const maxLen = Math.max(...seqs.map((s) => s.length));
  const padded = seqs.map((s) => [...s, ...new Array(maxLen - s.length).fill(padId)]);
  // TODO: mark the padding positions false
  const mask = padded.map((row) => row.map(() => true));
  return { padded, mask };
}

pad([[5, 6, 7], [8], [9, 10]]);
`,
  solution: `export function pad(seqs: number[][], padId = 0): { padded: number[][]; mask: boolean[][] } {
  const maxLen = Math.max(...seqs.map((s) => s.length));
  const padded = seqs.map((s) => [...s, ...new Array(maxLen - s.length).fill(padId)]);
  const mask = seqs.map((s) => Array.from({ length: maxLen }, (_, j) => j < s.length));
  return { padded, mask };
}

pad([[5, 6, 7], [8], [9, 10]]);
`,
  check(mod, c, rng) {
    const f = exported<(s: number[][], p?: number) => { padded: number[][]; mask: boolean[][] }>(mod, 'pad');
    const cases: number[][][] = [[[5, 6, 7], [8], [9, 10]]];
    for (let i = 0; i < 3; i++) {
      cases.push(
        Array.from({ length: 3 + i }, () =>
          Array.from({ length: 1 + Math.floor(rng.next() * 6) }, () => 1 + Math.floor(rng.next() * 20)),
        ),
      );
    }
    for (const seqs of cases) {
      const what = `pad(${show(seqs)})`;
      const ref = padSequences(seqs, 0);
      c.run(what, () => {
        const got = f(seqs);
        c.closeMatrix(got?.padded, ref.padded, `${what}: padded`, 0);
        const mask = Array.isArray(got?.mask)
          ? got.mask.map((r) => (Array.isArray(r) ? r.map(Number) : r))
          : got?.mask;
        c.closeMatrix(
          mask,
          ref.mask.map((r) => r.map(Number)),
          `${what}: mask (1 = real token)`,
          0,
        );
      });
    }
  },
};
