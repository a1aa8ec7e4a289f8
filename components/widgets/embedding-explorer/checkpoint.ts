/**
 * The capstone checkpoint as an embedding source (no DOM): pull the token embedding table and its characters
 * out of a saved Checkpoint (src/model/checkpoint.ts), and run src/lib's PCA on wide tables quickly.
 */
import { pca2d, type Pca2d } from '../../../src/lib/embeddings';
import { dot, matmul, norm, transpose, type Matrix } from '../../../src/lib/matrix';
import type { Checkpoint } from '../../../src/model/checkpoint';

/** The checkpoint format tag (CHECKPOINT_FORMAT in src/model/checkpoint.ts; not imported: that module pulls in the engine). */
const FORMAT = 'attention-notebook/gpt-checkpoint';
/** The unknown character the capstone's vocabulary reserves (UNKNOWN_CHAR in src/model/data.ts). */
const UNKNOWN = '\uFFFD';
const WEIGHT = 'token_embedding_table.weight';

/** IndexedDB keys (idb-keyval's default store) under which the capstone's training cell saves its checkpoint. */
export { CHECKPOINT_KEY, SUMMARY_KEY } from '../../../src/workers/protocol';

/** A table of embeddings with its row labels. */
export interface EmbeddingTable {
  vocab: string[];
  table: Matrix;
  /** Optimiser steps the checkpoint had trained. */
  step: number;
}

/** The token embeddings (V, C) of a saved checkpoint, or a sentence saying why there are none. */
export function embeddingsFromCheckpoint(value: unknown): EmbeddingTable | string {
  const c = value as Partial<Checkpoint> | null;
  if (typeof c !== 'object' || c === null || c.format !== FORMAT)
    return 'the saved object is not a GPT checkpoint';
  const w = c.weights?.[WEIGHT];
  if (!w || !(w.data instanceof Float32Array) || w.shape?.length !== 2) {
    return `the checkpoint has no ${WEIGHT}`;
  }
  const [v, d] = w.shape;
  if (w.data.length !== v * d || v < 3 || d < 2) return `${WEIGHT} has an unusable shape [${w.shape}]`;
  const chars = c.vocab?.chars;
  const vocab = Array.isArray(chars) ? [...chars, ...(c.vocab?.reserveUnknown ? [UNKNOWN] : [])] : [];
  if (vocab.length !== v) {
    return `the checkpoint's vocabulary (${vocab.length} characters) does not match its ${v} embedding rows`;
  }
  const table = Array.from({ length: v }, (_, i) => Array.from(w.data.subarray(i * d, (i + 1) * d)));
  return { vocab, table, step: typeof c.step === 'number' ? c.step : 0 };
}

/** Widths up to which pca2d runs directly on the table (its Jacobi solver is meant for small matrices). */
export const DIRECT_PCA_MAX_DIM = 32;

/**
 * src/lib's pca2d for a table of any width. Above DIRECT_PCA_MAX_DIM the n centred points are first written in
 * an orthonormal basis of the space they span (at most n − 1 dimensions, by modified Gram–Schmidt); PCA is
 * unchanged by that rotation, so pca2d of those coordinates gives the same variances and projections. The
 * components are mapped back to the original dimensions and given pca2d's sign rule (largest entry positive).
 * Returns mean, explained variance (ratio) and projected points; the d × d covariance is not formed.
 */
export function pcaAnyWidth(
  points: Matrix,
): Pick<Pca2d, 'mean' | 'components' | 'explainedVariance' | 'explainedVarianceRatio' | 'projected'> {
  const d = points[0]?.length ?? 0;
  if (d <= DIRECT_PCA_MAX_DIM) return pca2d(points);
  const n = points.length;
  const mean = Array.from({ length: d }, (_, j) => points.reduce((s, row) => s + row[j], 0) / n); // (d)
  const centered = points.map((row) => row.map((x, j) => x - mean[j])); // (n, d)
  const scale = Math.max(...centered.map(norm), 1e-300);
  const basis: number[][] = []; // (r, d) orthonormal rows
  for (const row of centered) {
    let v = row.slice();
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
        const c = dot(v, b);
        v = v.map((x, j) => x - c * b[j]);
      }
    }
    const len = norm(v);
    if (len > 1e-10 * scale) basis.push(v.map((x) => x / len));
  }
  if (basis.length < 2) return pca2d(points); // (nearly) collinear points: nothing to gain
  const coords = matmul(centered, transpose(basis)); // (n, r)
  const reduced = pca2d(coords);
  const components = matmul(reduced.components, basis); // (2, d)
  const projected = reduced.projected.map((p) => p.slice()); // (n, 2)
  components.forEach((comp, k) => {
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(comp[j]) > Math.abs(comp[big])) big = j;
    if (comp[big] < 0) {
      components[k] = comp.map((x) => -x);
      projected.forEach((p) => (p[k] = -p[k]));
    }
  });
  return {
    mean,
    components,
    explainedVariance: reduced.explainedVariance,
    explainedVarianceRatio: reduced.explainedVarianceRatio,
    projected,
  };
}
