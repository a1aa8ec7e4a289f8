/** Exercise (chapter 7): layer norm of each row, checked against src/lib's layerNorm. */
import { layerNorm as reference } from '../../lib/normalization';
import { exported, randomMatrix, type Exercise } from '../types';

export const layerNormExercise: Exercise = {
  id: 'normalization-and-regularization/layer-norm',
  chapter: 'normalization-and-regularization',
  title: 'Layer norm',
  starter: `// Layer norm normalizes each row (one token's features) by that row's own mean and variance:
// (x - mean) / sqrt(variance + eps), with the biased variance (divide by d, as PyTorch does).
export function layerNorm(x: number[][], eps = 1e-5): number[][] {
  return x.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    // TODO: divide by the standard deviation too
    return row.map((v) => v - mean);
  });
}

layerNorm([[1, 2, 3], [10, 20, 60]]);
`,
  solution: `export function layerNorm(x: number[][], eps = 1e-5): number[][] {
  return x.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
    return row.map((v) => (v - mean) / Math.sqrt(variance + eps));
  });
}

layerNorm([[1, 2, 3], [10, 20, 60]]);
`,
  check(mod, c, rng) {
    const f = exported<(x: number[][], eps?: number) => number[][]>(mod, 'layerNorm');
    const cases = [
      [
        [1, 2, 3],
        [10, 20, 60],
      ],
      randomMatrix(rng, 3, 4, 5),
      randomMatrix(rng, 2, 6, 0.1),
    ];
    cases.forEach((x, n) => {
      const what =
        n === 0 ? 'layerNorm([[1, 2, 3], [10, 20, 60]])' : `layerNorm(random ${x.length} × ${x[0].length})`;
      c.run(what, () => c.closeMatrix(f(x), reference(x).output, what, 1e-6));
    });
  },
};
