/** Exercise (chapter 6): split a (T, C) matrix into heads and concatenate them back, checked against src/lib. */
import { concatCols, sliceCols } from '../../lib/matrix';
import { exported, randomMatrix, type Exercise } from '../types';

export const splitHeadsExercise: Exercise = {
  id: 'transformer-block/split-heads',
  chapter: 'transformer-block',
  title: 'Split into heads and concatenate',
  starter: `// splitHeads(x, h): x is (T, C) with C divisible by h. Head i gets columns i*C/h … (i+1)*C/h - 1,
// so the result is h matrices of shape (T, C/h). concatHeads undoes it: (T, C) again.
export function splitHeads(x: number[][], h: number): number[][][] {
  const d = x[0].length / h;
  // TODO: head i should take its own columns, not always the first d
  return Array.from({ length: h }, () => x.map((row) => row.slice(0, d)));
}

export function concatHeads(heads: number[][][]): number[][] {
  return heads[0].map((_, t) => heads.flatMap((head) => head[t]));
}

splitHeads([[1, 2, 3, 4], [5, 6, 7, 8]], 2);
`,
  solution: `export function splitHeads(x: number[][], h: number): number[][][] {
  const d = x[0].length / h;
  return Array.from({ length: h }, (_, i) => x.map((row) => row.slice(i * d, (i + 1) * d)));
}

export function concatHeads(heads: number[][][]): number[][] {
  return heads[0].map((_, t) => heads.flatMap((head) => head[t]));
}

splitHeads([[1, 2, 3, 4], [5, 6, 7, 8]], 2);
`,
  check(mod, c, rng) {
    const split = exported<(x: number[][], h: number) => number[][][]>(mod, 'splitHeads');
    const concat = exported<(heads: number[][][]) => number[][]>(mod, 'concatHeads');
    const cases: [number[][], number][] = [
      [
        [
          [1, 2, 3, 4],
          [5, 6, 7, 8],
        ],
        2,
      ],
    ];
    for (const [t, h, d] of [
      [3, 2, 3],
      [2, 4, 2],
      [4, 3, 2],
    ])
      cases.push([randomMatrix(rng, t, h * d), h]);
    for (const [x, h] of cases) {
      const what = `splitHeads(x of shape (${x.length}, ${x[0].length}), ${h})`;
      const d = x[0].length / h;
      c.run(what, () => {
        const heads = split(x, h);
        if (
          !c.that(
            Array.isArray(heads) && heads.length === h,
            `${what} gives ${Array.isArray(heads) ? heads.length : 'no'} heads, not ${h}`,
          )
        )
          return;
        for (let i = 0; i < h; i++)
          if (!c.closeMatrix(heads[i], sliceCols(x, i * d, (i + 1) * d), `${what}: head ${i}`)) return;
        c.closeMatrix(concat(heads), concatCols(heads), `concatHeads(${what})`);
        c.closeMatrix(concat(heads), x, `concatHeads(splitHeads(x)) should give x back`);
      });
    }
  },
};
