/**
 * A batch in row slices: when a whole batch's activations would pass maxStorageBufferBindingSize
 * (./plan.ts checkPlan), the engine's activation buffers hold `sliceB` sequences and a step runs the
 * forward, the loss and the backward once per slice, in one pass and one submit. The first slice writes
 * every weight gradient and the loss; each later slice adds to them (the accumulate variants of the
 * kernels), with the whole batch's 1 / (B·T) in the loss, the batch's own ids, targets and dropout rows,
 * so the step equals the unsliced step up to the order of float sums. AdamW runs once, after the last.
 */
import {
  adamwGraph,
  backwardGraph,
  forwardGraph,
  lossGraph,
  stepGraph,
  withRole,
  type GraphContext,
} from './graph';
import type { RowSlice } from './plan';
import type { Dispatch } from './runtime';

/** What a batch program computes: a training step, the loss and gradients only, or the loss only. */
export type BatchMode = 'train' | 'grads' | 'eval';

/** The dispatches of one mode over a batch of `batchB` sequences in `slices` (g.B, g.T: the batch's). */
export function batchGraph(g: GraphContext, mode: BatchMode, slices: RowSlice[]): Dispatch[] {
  const batchB = g.B;
  const parts = slices.map(({ b0, n }, index): GraphContext => ({
    ...g,
    B: n,
    slice: { b0, index, batchB },
  }));
  const one = parts.length === 1;
  const out: Dispatch[] = [];
  for (const s of parts) {
    out.push(...withRole('forward', forwardGraph(s)));
    if (mode === 'eval') out.push(...lossGraph(s, false, 'evalBuf'));
    else if (mode === 'train' && one)
      out.push(...stepGraph(s)); // AdamW fused with the embedding backward
    else {
      out.push(...withRole('loss', lossGraph(s, true, 'lossBuf')));
      out.push(...withRole('backward', backwardGraph(s)));
    }
  }
  if (mode === 'train' && !one) out.push(...withRole('adamw', adamwGraph(g, false)));
  return out;
}

/** The CPU side of the embedding backward, per slice: each token's rows (slice-local), grouped by token. */
export interface TokenRows {
  /** Slice-local row numbers, slice after slice, each slice's grouped by token id. */
  order: Int32Array;
  /** Per slice V + 1 offsets into `order`: token v's rows are order[start[s(V+1)+v] … start[s(V+1)+v+1]). */
  start: Int32Array;
}

/** Group a batch's token ids (B·T, row-major) by token within each slice of `rowsPerSlice` rows. */
export function tokenRows(ids: Int32Array, V: number, rowsPerSlice: number): TokenRows {
  const slices = Math.max(1, Math.ceil(ids.length / rowsPerSlice));
  const order = new Int32Array(ids.length);
  const start = new Int32Array(slices * (V + 1));
  for (let s = 0; s < slices; s++) {
    const r0 = s * rowsPerSlice;
    const r1 = Math.min(ids.length, r0 + rowsPerSlice);
    const at = s * (V + 1);
    start[at] = r0;
    for (let r = r0; r < r1; r++) start[at + ids[r] + 1]++;
    for (let v = 0; v < V; v++) start[at + v + 1] += start[at + v];
    const fill = start.slice(at, at + V);
    for (let r = r0; r < r1; r++) order[fill[ids[r]]++] = r - r0;
  }
  return { order, start };
}
