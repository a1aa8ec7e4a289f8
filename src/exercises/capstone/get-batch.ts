/** Exercise (chapter 11): the capstone's get_batch, checked against the definition on fixed and random data. */
import { exported, show, type Exercise } from '../types';

/** The reference: x = data[s … s+T), y = data[s+1 … s+T+1) for each start s. */
function referenceBatch(
  data: number[],
  starts: number[],
  blockSize: number,
): { x: number[][]; y: number[][] } {
  return {
    x: starts.map((s) => data.slice(s, s + blockSize)), // (B, T)
    y: starts.map((s) => data.slice(s + 1, s + blockSize + 1)), // (B, T)
  };
}

export const getBatchExercise: Exercise = {
  id: 'capstone/get-batch',
  chapter: 'capstone',
  title: 'get_batch',
  starter: `// The notes' get_batch picks random start positions ix, then
//   x = stack([data[i : i + block_size] for i in ix])
//   y = stack([data[i + 1 : i + block_size + 1] for i in ix])
// Here the starts are given, so the checks can compare. y is x shifted one token to the left.
export function getBatch(data: number[], starts: number[], blockSize: number) {
  const x = starts.map((s) => data.slice(s, s + blockSize));
  // TODO: the targets are the next tokens, not the same ones
  const y = starts.map((s) => data.slice(s, s + blockSize));
  return { x, y };
}

const data = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
getBatch(data, [0, 5], 3);
`,
  solution: `export function getBatch(data: number[], starts: number[], blockSize: number) {
  const x = starts.map((s) => data.slice(s, s + blockSize));
  const y = starts.map((s) => data.slice(s + 1, s + blockSize + 1));
  return { x, y };
}

const data = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
getBatch(data, [0, 5], 3);
`,
  check(mod, c, rng) {
    const f = exported<(d: number[], s: number[], t: number) => { x: number[][]; y: number[][] }>(
      mod,
      'getBatch',
    );
    const cases: [number[], number[], number][] = [[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 5], 3]];
    for (const [n, b, t] of [
      [40, 4, 8],
      [100, 3, 16],
    ]) {
      const data = Array.from({ length: n }, () => Math.floor(rng.next() * 65));
      cases.push([data, Array.from({ length: b }, () => Math.floor(rng.next() * (n - t))), t]);
    }
    for (const [data, starts, t] of cases) {
      const what = `getBatch(data of ${data.length}, starts ${show(starts)}, block_size ${t})`;
      const ref = referenceBatch(data, starts, t);
      c.run(what, () => {
        const got = f(data, starts, t);
        c.closeMatrix(got?.x, ref.x, `${what}: x`, 0);
        c.closeMatrix(got?.y, ref.y, `${what}: y`, 0);
      });
    }
  },
};
