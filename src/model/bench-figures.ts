/** The figures every engine's bench reports for a training step, under the same names, and their timing; the model's matmul shapes. */
import type { Rng } from '../lib/rng';
import { estimateFlopsPerStep, type GPTConfig } from './config';
import { sampleBatch } from './data';
import type { Engine } from './engine';

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

/** A fixed stream of `n` token ids below `vocabSize` (benches need no corpus). */
export function benchTokens(vocabSize: number, n = 20_000): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i * 7 + (i >> 3)) % vocabSize);
}

/** The median of `xs` (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Time `steps` training steps on random batches of `data`: median ms/step, tokens/s, GFLOP/s, last loss. */
export async function timeSteps(
  engine: Pick<Engine, 'step'>,
  cfg: GPTConfig,
  data: Int32Array,
  rng: Rng,
  steps: number,
): Promise<Pick<StepBenchFigures, 'msPerStep' | 'tokensPerSec' | 'gflops' | 'finalLoss'>> {
  const times: number[] = [];
  let finalLoss = NaN;
  for (let i = 0; i < steps; i++) {
    const r = await engine.step(sampleBatch(data, cfg.blockSize, cfg.batchSize, rng)); // (B, T) batch
    times.push(r.ms);
    finalLoss = r.loss;
  }
  const msPerStep = median(times);
  return {
    msPerStep,
    tokensPerSec: ((cfg.batchSize * cfg.blockSize) / msPerStep) * 1000,
    gflops: estimateFlopsPerStep(cfg).perStep / (msPerStep / 1000) / 1e9,
    finalLoss,
  };
}

/** A matmul shape of the model: C (M, N) = A·B over K, with the operand layout its pass uses. */
export interface MatmulShape {
  name: string;
  M: number;
  N: number;
  K: number;
  /** 'nt': X·Wᵀ (forward), 'nn': dY·W (input gradient), 'tn': dYᵀ·X (weight gradient). */
  layout: 'nt' | 'nn' | 'tn';
}

/** One matmul shape of the model and the GFLOP/s achieved on it. */
export interface MatmulShapeResult extends MatmulShape {
  gflops: number;
}

/** The matmuls of one training step of a config (the biggest of each kind). */
export function matmulShapes(cfg: GPTConfig): MatmulShape[] {
  const N = cfg.batchSize * cfg.blockSize;
  const C = cfg.nEmbd;
  return [
    { name: 'qkv forward (N, C)·(3C, C)ᵀ', M: N, N: 3 * C, K: C, layout: 'nt' },
    { name: 'ffwd up (N, C)·(4C, C)ᵀ', M: N, N: 4 * C, K: C, layout: 'nt' },
    { name: 'ffwd down (N, 4C)·(C, 4C)ᵀ', M: N, N: C, K: 4 * C, layout: 'nt' },
    { name: 'ffwd up dX (N, 4C)·(4C, C)', M: N, N: C, K: 4 * C, layout: 'nn' },
    { name: 'ffwd up dW (4C, N)·(N, C)', M: 4 * C, N: C, K: N, layout: 'tn' },
  ];
}

/** Strides of A and B for a layout with the given (M, N, K). */
export function layoutStrides(
  l: MatmulShapeResult['layout'],
  M: number,
  N: number,
  K: number,
): [number, number, number, number] {
  if (l === 'nt') return [K, 1, 1, K];
  if (l === 'nn') return [K, 1, N, 1];
  return [1, M, N, 1];
}
