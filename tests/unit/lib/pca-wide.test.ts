import { describe, expect, it } from 'vitest';
import { pca2d } from '../../../src/lib/embeddings';
import { createRng } from '../../../src/lib/rng';

describe('pca2d(points) on a wide, rank-deficient table (96 points × 128 dimensions)', () => {
  it('returns components whose projected variance equals the reported explained variance', () => {
    const rng = createRng(7);
    const points = Array.from({ length: 96 }, () => Array.from({ length: 128 }, () => rng.normal(0, 1)));
    const { projected, explainedVariance, explainedVarianceRatio } = pca2d(points);
    expect(projected).toHaveLength(96);
    expect(explainedVarianceRatio[0]).toBeGreaterThanOrEqual(explainedVarianceRatio[1]);
    for (const axis of [0, 1]) {
      const xs = projected.map((p) => p[axis]);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
      expect(mean).toBeCloseTo(0, 10);
      expect(variance / explainedVariance[axis]).toBeCloseTo(1, 8);
    }
  });
});
