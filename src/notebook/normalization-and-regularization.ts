/** Runnable cells of chapter 7 (normalization and regularization). */

/** Layer norm (per row) and batch norm (per column) on the same numbers. */
export const layerVsBatch = `import { layerNorm, batchNorm, createBatchNormState } from 'lib';

const x = [
  [1, 200, 0.01],
  [2, 180, 0.03],
  [3, 260, 0.02],
]; // (B = 3 rows, 3 features on different scales)

// Layer norm: each row by its own mean and variance (what a transformer uses per token).
const ln = layerNorm(x);
console.log('layer norm: row means', ln.mean, 'row variances', ln.variance);
console.log(ln.output);

// Batch norm in training mode: each column by the batch's mean and variance.
const bn = batchNorm(x, createBatchNormState(3), { training: true });
console.log('batch norm output (each column now has mean 0):');
bn.output
`;
