/** Multi-head attention: project, split into heads, attend per head, concatenate, project out. */
import { addRowVector, concatCols, matmul, sliceCols, type Matrix, type Vector } from '../matrix';
import { checkInt, checkMatrix, checkVector, fail } from '../validate';
import type { AttentionMask } from './mask';
import { scaledDotProductAttention, type AttentionStages } from './scaled-dot';

/**
 * Weights of multi-head attention in the x·W convention: wq (d_x, d_model), wk and wv (d_c, d_model),
 * wo (d_model, d_out); optional biases bq, bk, bv (d_model) and bo (d_out). (PyTorch's nn.MultiheadAttention
 * stores the transposes: in_proj_weight = [wqᵀ; wkᵀ; wvᵀ], out_proj.weight = woᵀ.)
 */
export interface MultiHeadWeights {
  wq: Matrix;
  wk: Matrix;
  wv: Matrix;
  wo: Matrix;
  bq?: Vector;
  bk?: Vector;
  bv?: Vector;
  bo?: Vector;
}

/** Multi-head attention stages. */
export interface MultiHeadStages {
  /** x·wq + bq, (T, d_model). */
  q: Matrix;
  /** context·wk + bk, (S, d_model). */
  k: Matrix;
  /** context·wv + bv, (S, d_model). */
  v: Matrix;
  /** Per-head attention stages on columns [h·d_head, (h+1)·d_head), (numHeads) entries. */
  heads: AttentionStages[];
  /** Head outputs side by side, (T, d_model). */
  concat: Matrix;
  /** concat·wo + bo, (T, d_out). */
  output: Matrix;
  /** d_model / numHeads. */
  headDim: number;
}

/** Options: context (S, d_c) for cross-attention (defaults to x), mask (T, S), causal. */
export interface MultiHeadOptions {
  context?: Matrix;
  mask?: AttentionMask;
  causal?: boolean;
}

/** Project a (n, d_in) by w (d_in, d_model) and add an optional bias (d_model) → (n, d_model). */
function project(fn: string, name: string, a: Matrix, w: Matrix, b: Vector | undefined): Matrix {
  const out = matmul(a, w); // (n, d_in) @ (d_in, d_model) → (n, d_model)
  if (b === undefined) return out;
  checkVector(fn, `b${name.slice(1)}`, b, w[0].length);
  return addRowVector(out, b); // (n, d_model)
}

/** Multi-head attention of x (T, d_x) over context (S, d_c, default x) with numHeads heads → (T, d_out). */
export function multiHeadAttention(
  x: Matrix,
  w: MultiHeadWeights,
  numHeads: number,
  options: MultiHeadOptions = {},
): MultiHeadStages {
  const fn = 'multiHeadAttention';
  const ctx = options.context ?? x;
  const [, dx] = checkMatrix(fn, 'x', x, { rowLabel: 'T', colLabel: 'd_x' });
  const [, dc] = checkMatrix(fn, 'context', ctx, { rowLabel: 'S', colLabel: 'd_c' });
  const [, dModel] = checkMatrix(fn, 'wq', w.wq, { rows: dx, rowLabel: 'd_x', colLabel: 'd_model' });
  checkMatrix(fn, 'wk', w.wk, { rows: dc, cols: dModel, rowLabel: 'd_c', colLabel: 'd_model' });
  checkMatrix(fn, 'wv', w.wv, { rows: dc, cols: dModel, rowLabel: 'd_c', colLabel: 'd_model' });
  checkMatrix(fn, 'wo', w.wo, { rows: dModel, rowLabel: 'd_model', colLabel: 'd_out' });
  checkInt(fn, 'numHeads', numHeads, 1);
  if (dModel % numHeads !== 0) fail(fn, `numHeads must divide d_model=${dModel}, got ${numHeads}`);
  const headDim = dModel / numHeads;
  const q = project(fn, 'wq', x, w.wq, w.bq); // (T, d_model)
  const k = project(fn, 'wk', ctx, w.wk, w.bk); // (S, d_model)
  const v = project(fn, 'wv', ctx, w.wv, w.bv); // (S, d_model)
  const heads = Array.from({ length: numHeads }, (_, h) => {
    const [a, b] = [h * headDim, (h + 1) * headDim];
    return scaledDotProductAttention(sliceCols(q, a, b), sliceCols(k, a, b), sliceCols(v, a, b), options); // (T, d_head)
  });
  const concat = concatCols(heads.map((hd) => hd.output)); // (T, d_model)
  const output = project(fn, 'wo', concat, w.wo, w.bo); // (T, d_model) @ (d_model, d_out) → (T, d_out)
  return { q, k, v, heads, concat, output, headDim };
}
