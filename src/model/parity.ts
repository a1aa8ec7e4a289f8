/**
 * Parity with the notes' PyTorch model: load the golden written by scripts/reference/gpt_reference.py into
 * an engine built by the given factory (tfjs on the CPU in Node tests, WebGPU in the browser e2e), run the
 * same batch and the same AdamW steps through the Engine interface, and report the largest differences.
 */
import type { GPTConfig } from './config';
import type { Batch, EngineFactory, NamedArray, WeightMap } from './engine';

/** A flat float tensor in the golden JSON. */
export interface GoldenTensor {
  shape: number[];
  data: number[];
}

/** The shape of tests/golden/model/gpt_tiny.json. */
export interface ParityGolden {
  config: GPTConfig;
  adamw: { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number };
  idx: number[][];
  targets: number[][];
  params: Record<string, GoldenTensor>;
  logits: GoldenTensor;
  loss: number;
  grads: Record<string, GoldenTensor>;
  logitsShort: GoldenTensor;
  paramsAfterOneStep: Record<string, GoldenTensor>;
  lossAfterOneStep: number;
  paramsAfterTwoSteps: Record<string, GoldenTensor>;
}

/** Largest absolute differences between this engine and PyTorch. */
export interface ParityReport {
  /** The engine that ran ('tfjs', 'webgpu', ...). */
  engine: string;
  /** The device it ran on ('webgpu', 'cpu', ...). */
  backend: string;
  /** Sequences per row slice the engine ran the golden's batch in (its batch size when whole). */
  sliceB: number;
  /** |loss − loss_torch| / |loss_torch|. */
  lossRelErr: number;
  /** max |logits − logits_torch| over (B, T, V). */
  logitsMaxErr: number;
  /** Same for the shorter context (T < block_size). */
  logitsShortMaxErr: number;
  /** max |grad − grad_torch| over every parameter, and where it occurs. */
  gradMaxErr: number;
  gradWorst: string;
  /** max |p − p_torch| after one AdamW step, and where. */
  stepOneMaxErr: number;
  stepOneWorst: string;
  /** Relative error of the loss re-evaluated after the first step. */
  lossAfterOneStepRelErr: number;
  /** max |p − p_torch| after two AdamW steps, and where. */
  stepTwoMaxErr: number;
  stepTwoWorst: string;
  /** The tolerance used for `ok`. */
  tolerance: number;
  /** Every error within tolerance. */
  ok: boolean;
}

/** Largest |a − b| over two equally long arrays. */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Largest difference over named tensors, and the name where it occurs. */
function worstOf(actual: WeightMap, expected: Record<string, GoldenTensor>): [number, string] {
  let worst = 0;
  let where = '';
  for (const [name, exp] of Object.entries(expected)) {
    const act = actual.get(name);
    const d = act ? maxAbsDiff(act.data, exp.data) : Infinity;
    if (d > worst || where === '') [worst, where] = [d, name];
  }
  return [worst, where];
}

/** The golden's fixed batch, cropped to its first T positions. */
function goldenBatch(g: ParityGolden, T = g.idx[0].length): Batch {
  const B = g.idx.length;
  const x = new Int32Array(B * T);
  const y = new Int32Array(B * T);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      x[b * T + t] = g.idx[b][t];
      y[b * T + t] = g.targets[b][t];
    }
  }
  return { x, y, batchSize: B, blockSize: T };
}

/** Run the golden's forward pass, gradients and two AdamW steps on a factory's engine; compare to PyTorch. */
export async function runParityCheck(
  golden: ParityGolden,
  createEngine: EngineFactory,
  tolerance = 1e-4,
): Promise<ParityReport> {
  const weights: WeightMap = new Map(
    Object.entries(golden.params).map(([n, t]): [string, NamedArray] => [
      n,
      { shape: t.shape, data: Float32Array.from(t.data) },
    ]),
  );
  const engine = await createEngine({ ...golden.config }, { weights, adamw: golden.adamw });
  try {
    const batch = goldenBatch(golden);
    const shortBatch = goldenBatch(golden, golden.logitsShort.shape[1]);
    const logitsMaxErr = maxAbsDiff((await engine.logits(batch)).data, golden.logits.data);
    const logitsShortMaxErr = maxAbsDiff((await engine.logits(shortBatch)).data, golden.logitsShort.data);
    const [gradMaxErr, gradWorst] = worstOf((await engine.lossAndGradients(batch)).grads, golden.grads);

    const first = await engine.step(batch);
    const lossRelErr = Math.abs(first.loss - golden.loss) / Math.abs(golden.loss);
    const [stepOneMaxErr, stepOneWorst] = worstOf(await engine.getWeights(), golden.paramsAfterOneStep);
    const second = await engine.step(batch);
    const lossAfterOneStepRelErr =
      Math.abs(second.loss - golden.lossAfterOneStep) / Math.abs(golden.lossAfterOneStep);
    const [stepTwoMaxErr, stepTwoWorst] = worstOf(await engine.getWeights(), golden.paramsAfterTwoSteps);

    const errors = [
      lossRelErr,
      logitsMaxErr,
      logitsShortMaxErr,
      gradMaxErr,
      stepOneMaxErr,
      lossAfterOneStepRelErr,
      stepTwoMaxErr,
    ];
    return {
      engine: engine.name,
      backend: engine.backend,
      sliceB: engine.sliceB ?? batch.batchSize,
      lossRelErr,
      logitsMaxErr,
      logitsShortMaxErr,
      gradMaxErr,
      gradWorst,
      stepOneMaxErr,
      stepOneWorst,
      lossAfterOneStepRelErr,
      stepTwoMaxErr,
      stepTwoWorst,
      tolerance,
      ok: errors.every((e) => e <= tolerance),
    };
  } finally {
    engine.dispose();
  }
}
