import { describe, expect, it } from 'vitest';
import {
  cosineSimilarity,
  cosineSimilarityMatrix,
  embeddingLookup,
  nearestNeighbors,
  pca2d,
} from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { loadGolden } from '../helpers/golden';

const g = loadGolden('embeddings');

describe('embeddings against PyTorch', () => {
  it('lookup equals F.embedding', () => {
    const r = embeddingLookup(g.table, g.ids);
    expect(r.ids).toEqual(g.ids);
    expectClose(r.vectors, g.lookup, 0, 0);
  });

  it.each(g.cosine as { a: number[]; b: number[]; cosine: number }[])(
    'cosine similarity equals F.cosine_similarity (%#)',
    ({ a, b, cosine }) => {
      expectClose(cosineSimilarity(a, b).cosine, cosine, 1e-12, 1e-15);
    },
  );

  it('cosine matrix equals the pairwise F.cosine_similarity', () => {
    expectClose(
      cosineSimilarityMatrix(g.cosineMatrix.a, g.cosineMatrix.b),
      g.cosineMatrix.value,
      1e-12,
      1e-15,
    );
  });

  it.each(g.neighbors as { query: number; k: number; neighbors: { index: number; similarity: number }[] }[])(
    'nearest neighbours of row $query',
    ({ query, k, neighbors }) => {
      const r = nearestNeighbors(g.table, query, k);
      expect(r.map((n) => n.index)).toEqual(neighbors.map((n) => n.index));
      expectClose(
        r.map((n) => n.similarity),
        neighbors.map((n) => n.similarity),
        1e-12,
        1e-15,
      );
    },
  );

  it('PCA equals torch.cov + torch.linalg.eigh (sign-fixed)', () => {
    const r = pca2d(g.pca.points);
    expectClose(r.mean, g.pca.mean, 1e-12);
    expectClose(r.covariance, g.pca.covariance, 1e-12, 1e-15);
    expectClose(r.components, g.pca.components, 1e-9, 1e-12);
    expectClose(r.explainedVariance, g.pca.explainedVariance, 1e-10);
    expectClose(r.explainedVarianceRatio, g.pca.explainedVarianceRatio, 1e-10);
    expectClose(r.projected, g.pca.projected, 1e-9, 1e-12);
  });
});

describe('embeddings: behaviour and bad input', () => {
  it('neighbours of a vector query include every row; ties go to the lower index', () => {
    const table = [
      [1, 0],
      [0, 1],
      [1, 0],
      [-1, 0],
    ];
    expect(nearestNeighbors(table, [2, 0], 3).map((n) => n.index)).toEqual([0, 2, 1]);
    expect(cosineSimilarity([0, 0], [1, 2])).toEqual({ dot: 0, normA: 0, normB: Math.sqrt(5), cosine: 0 });
  });

  it('PCA of a constant cloud has zero variance ratios rather than NaN', () => {
    const r = pca2d([
      [1, 1],
      [1, 1],
    ]);
    expect(r.explainedVarianceRatio).toEqual([0, 0]);
    expect(r.projected.flat().every((x) => x === 0)).toBe(true);
  });

  it.each([
    [
      'empty table',
      () => embeddingLookup([], [0]),
      /embeddingLookup: table must be a non-empty matrix of shape \(V, d\)/,
    ],
    [
      'id out of range',
      () => embeddingLookup([[1]], [1]),
      /embeddingLookup: ids\[0\] must be an integer in \[0, 0\], got 1/,
    ],
    ['no ids', () => embeddingLookup([[1]], []), /ids must be a non-empty array/],
    ['cosine lengths', () => cosineSimilarity([1, 2], [1]), /cosineSimilarity: b must have length 2, got 1/],
    ['cosine NaN', () => cosineSimilarity([NaN], [1]), /a\[0\] must be a number, got NaN/],
    [
      'matrix d mismatch',
      () => cosineSimilarityMatrix([[1, 2]], [[1]]),
      /b must have shape \(m, d=2\), got \(1, 1\)/,
    ],
    [
      'k too large',
      () => nearestNeighbors([[1], [2]], 0, 2),
      /nearestNeighbors: k must be an integer in \[1, 1\], got 2/,
    ],
    ['query length', () => nearestNeighbors([[1, 2]], [1], 1), /query must have length 2/],
    ['query id', () => nearestNeighbors([[1, 2]], 3, 1), /query must be an integer in \[0, 0\]/],
    ['lonely row', () => nearestNeighbors([[1, 2]], 0, 1), /table must have another row/],
    ['pca one point', () => pca2d([[1, 2]]), /pca2d: points must have at least 2 rows \(n >= 2\), got 1/],
    [
      'pca one column',
      () => pca2d([[1], [2]]),
      /pca2d: points must have at least 2 columns \(d >= 2\), got 1/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
