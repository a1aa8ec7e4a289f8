/** The figures both engines' benches report for a training step, under the same names. */
import type { GPTConfig } from './config';

/** What every engine's bench measures of a training step (medians after warm-up). */
export interface StepBenchFigures {
  backend: string;
  config: GPTConfig;
  params: number;
  /** Timed steps (after the warm-up). */
  steps: number;
  /** Median wall time per training step, including the loss read-back. */
  msPerStep: number;
  tokensPerSec: number;
  /** Achieved matmul GFLOP/s of a training step (estimateFlopsPerStep / time). */
  gflops: number;
  /** GPU dispatches (compute programs) per training step. */
  dispatchesPerStep: number;
  /** Peak bytes held during a step. */
  peakBytes: number;
  /** Loss after the last step (sanity: it should fall below ln(vocabSize)). */
  finalLoss: number;
}
