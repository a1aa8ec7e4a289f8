/** Exercise (chapter 5): scaled dot-product attention with the causal mask, checked against src/lib. */
import { scaledDotProductAttention } from '../../lib/attention/scaled-dot';
import { exported, fmt, randomMatrix, type Exercise } from '../types';

export const causalAttentionExercise: Exercise = {
  id: 'attention/causal-attention',
  chapter: 'attention',
  title: 'Causal scaled dot-product attention',
  starter: `import { matmul, transpose } from 'lib';

// attention(q, k, v): scores = q·kᵀ / √d_k; the causal mask sets score[i][j] = -Infinity for j > i;
// weights = row-wise softmax; output = weights·v. Return both.
export function attention(q: number[][], k: number[][], v: number[][]) {
  const dk = q[0].length;
  const scores = matmul(q, transpose(k)).map((row) => row.map((s) => s / Math.sqrt(dk)));
  // TODO: mask the future (j > i) and use a softmax that subtracts the row maximum
  const weights = scores.map((row) => {
    const exps = row.map(Math.exp);
    return exps.map((e) => e / row.length);
  });
  return { weights, output: matmul(weights, v) };
}

attention([[1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [1, 1]], [[1, 2], [3, 4], [5, 6]]).weights;
`,
  solution: `import { matmul, transpose } from 'lib';

export function attention(q: number[][], k: number[][], v: number[][]) {
  const dk = q[0].length;
  const scores = matmul(q, transpose(k)).map((row) => row.map((s) => s / Math.sqrt(dk)));
  const masked = scores.map((row, i) => row.map((s, j) => (j > i ? -Infinity : s)));
  const weights = masked.map((row) => {
    const max = Math.max(...row);
    const exps = row.map((s) => Math.exp(s - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((e) => e / sum);
  });
  return { weights, output: matmul(weights, v) };
}

attention([[1, 0], [0, 1], [1, 1]], [[1, 0], [0, 1], [1, 1]], [[1, 2], [3, 4], [5, 6]]).weights;
`,
  check(mod, c, rng) {
    const f = exported<
      (q: number[][], k: number[][], v: number[][]) => { weights: number[][]; output: number[][] }
    >(mod, 'attention');
    const fixed = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const cases: [number[][], number[][], number[][]][] = [
      [
        fixed,
        fixed,
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
      ],
    ];
    for (let i = 0; i < 3; i++) {
      const t = 3 + i;
      cases.push([randomMatrix(rng, t, 4), randomMatrix(rng, t, 4), randomMatrix(rng, t, 3)]);
    }
    cases.forEach(([q, k, v], n) => {
      const what = n === 0 ? 'the fixed example' : `random case ${n} (T = ${q.length})`;
      c.run(what, () => {
        const got = f(q, k, v);
        const ref = scaledDotProductAttention(q, k, v, { causal: true });
        const rows = Array.isArray(got?.weights) ? got.weights : [];
        for (let i = 0; i < rows.length; i++) {
          const sum = Array.isArray(rows[i]) ? rows[i].reduce((a: number, b: number) => a + b, 0) : NaN;
          if (
            !c.that(Math.abs(sum - 1) < 1e-6, `${what}: row ${i} of the weights sums to ${fmt(sum)}, not 1`)
          )
            return;
          const future = Array.isArray(rows[i])
            ? rows[i].findIndex((w: number, j: number) => j > i && w !== 0)
            : -1;
          if (
            !c.that(
              future === -1,
              `${what}: row ${i} gives weight ${fmt(rows[i][future])} to the future position ${future}`,
            )
          )
            return;
        }
        c.closeMatrix(got?.weights, ref.weights, `${what}: weights`);
        c.closeMatrix(got?.output, ref.output, `${what}: output`);
      });
    });
  },
};
