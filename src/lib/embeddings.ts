/** Embeddings: table lookup, cosine similarity, nearest neighbours and a 2-D PCA projection for plots. */
import { dot, matmul, norm, symmetricEigen, transpose, type Matrix, type Vector } from './matrix';
import { checkInt, checkMatrix, checkVector, fail } from './validate';

/** Lookup stages: the ids and their rows of the table. */
export interface EmbeddingLookup {
  ids: number[];
  /** table[ids[t]] for each t, (T, d). */
  vectors: Matrix;
}

/** Look up rows of an embedding table (V, d) for ids (T) → (T, d). */
export function embeddingLookup(table: Matrix, ids: readonly number[]): EmbeddingLookup {
  const [v] = checkMatrix('embeddingLookup', 'table', table, { rowLabel: 'V', colLabel: 'd' });
  if (!Array.isArray(ids) || ids.length === 0) fail('embeddingLookup', 'ids must be a non-empty array');
  ids.forEach((id, i) => checkInt('embeddingLookup', `ids[${i}]`, id, 0, v - 1));
  return { ids: ids.slice(), vectors: ids.map((id) => table[id].slice()) }; // (T, d)
}

/** Cosine similarity stages. */
export interface CosineStages {
  dot: number;
  normA: number;
  normB: number;
  /** dot / max(normA·normB, eps): 0 when either vector is zero. */
  cosine: number;
}

/** Cosine similarity of two vectors (d)·(d) with PyTorch's eps guard (1e-8) against zero norms. */
export function cosineSimilarity(a: readonly number[], b: readonly number[], eps = 1e-8): CosineStages {
  const d = checkVector('cosineSimilarity', 'a', a);
  checkVector('cosineSimilarity', 'b', b, d);
  const ab = dot(a, b);
  const normA = norm(a);
  const normB = norm(b);
  return { dot: ab, normA, normB, cosine: ab / Math.max(normA * normB, eps) };
}

/** Pairwise cosine similarities of rows: a (n, d), b (m, d) → (n, m). */
export function cosineSimilarityMatrix(a: Matrix, b: Matrix, eps = 1e-8): Matrix {
  const [, d] = checkMatrix('cosineSimilarityMatrix', 'a', a, { rowLabel: 'n', colLabel: 'd' });
  checkMatrix('cosineSimilarityMatrix', 'b', b, { cols: d, rowLabel: 'm', colLabel: 'd' });
  const na = a.map(norm); // (n)
  const nb = b.map(norm); // (m)
  return matmul(a, transpose(b)).map((row, i) => row.map((x, j) => x / Math.max(na[i] * nb[j], eps))); // (n, m)
}

/** A neighbour: a row of the table and its similarity to the query. */
export interface Neighbor {
  index: number;
  similarity: number;
}

/**
 * The k rows of table (V, d) most cosine-similar to a query vector (d) or to a row id; a row-id query
 * excludes itself. Ties go to the lower index. Returns (k) neighbours, most similar first.
 */
export function nearestNeighbors(table: Matrix, query: readonly number[] | number, k: number): Neighbor[] {
  const [v, d] = checkMatrix('nearestNeighbors', 'table', table, { rowLabel: 'V', colLabel: 'd' });
  let q: readonly number[];
  let self = -1;
  if (typeof query === 'number') {
    checkInt('nearestNeighbors', 'query', query, 0, v - 1);
    q = table[query];
    self = query;
  } else {
    checkVector('nearestNeighbors', 'query', query, d);
    q = query;
  }
  const available = self >= 0 ? v - 1 : v;
  checkInt('nearestNeighbors', 'k', k, 1, Math.max(1, available));
  if (available === 0) fail('nearestNeighbors', 'table must have another row besides the query');
  const sims: Neighbor[] = [];
  for (let i = 0; i < v; i++) {
    if (i !== self) sims.push({ index: i, similarity: cosineSimilarity(q, table[i]).cosine });
  }
  sims.sort((x, y) => y.similarity - x.similarity || x.index - y.index);
  return sims.slice(0, k);
}

/** PCA stages. */
export interface Pca2d {
  /** Column means, (d). */
  mean: Vector;
  /** points − mean, (n, d). */
  centered: Matrix;
  /** Sample covariance (n − 1 denominator), (d, d). */
  covariance: Matrix;
  /** The two principal axes as unit rows, (2, d); each sign fixed so its largest-magnitude entry is positive. */
  components: Matrix;
  /** Variance along each axis (covariance eigenvalues), (2). */
  explainedVariance: Vector;
  /** explainedVariance / total variance, (2). */
  explainedVarianceRatio: Vector;
  /** centered @ componentsᵀ, (n, 2). */
  projected: Matrix;
}

/** Project points (n, d), n >= 2, d >= 2, onto their first two principal components → (n, 2). */
export function pca2d(points: Matrix): Pca2d {
  const [n, d] = checkMatrix('pca2d', 'points', points, { rowLabel: 'n', colLabel: 'd' });
  if (n < 2) fail('pca2d', `points must have at least 2 rows (n >= 2), got ${n}`);
  if (d < 2) fail('pca2d', `points must have at least 2 columns (d >= 2), got ${d}`);
  const mean = Array.from({ length: d }, (_, j) => points.reduce((s, row) => s + row[j], 0) / n); // (d)
  const centered = points.map((row) => row.map((x, j) => x - mean[j])); // (n, d)
  const covariance = matmul(transpose(centered), centered).map((row) => row.map((x) => x / (n - 1))); // (d, d)
  const { values, vectors } = symmetricEigen(covariance);
  const components = vectors.slice(0, 2).map((vec) => {
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(vec[j]) > Math.abs(vec[big])) big = j;
    return vec[big] < 0 ? vec.map((x) => -x) : vec.slice();
  }); // (2, d)
  const total = values.reduce((s, x) => s + Math.max(x, 0), 0);
  const explainedVariance = values.slice(0, 2).map((x) => Math.max(x, 0)); // (2)
  return {
    mean,
    centered,
    covariance,
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((x) => (total > 0 ? x / total : 0)),
    projected: matmul(centered, transpose(components)), // (n, 2)
  };
}
