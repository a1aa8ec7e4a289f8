/**
 * Measuring the WebGPU engine where it runs (the training worker): ms/step, tokens/s, GFLOP/s, dispatches
 * and submits per step counted by wrapping GPUComputePassEncoder.dispatchWorkgroups and GPUQueue.submit
 * (so they count what reaches WebGPU, for this engine and for TensorFlow.js alike), the GPU bytes it holds,
 * and a matmul microbenchmark of our kernel at the model's own shapes.
 */
import {
  benchTokens,
  layoutStrides,
  matmulShapes,
  timeSteps,
  type MatmulShapeResult,
  type StepBenchFigures,
} from '../bench-figures';

// The model's matmul shapes are engine-neutral (../bench-figures.ts); re-exported for this engine's users.
export { layoutStrides, matmulShapes, type MatmulShape, type MatmulShapeResult } from '../bench-figures';
import { createRng } from '../../lib/rng';
import { makeConfig, type GPTConfig, type PresetName } from '../config';
import { sampleBatch } from '../data';
import type { DeviceLimits, EngineFactory } from '../engine';
import { createWebGPUEngine } from './engine';
import type { GpuProfile } from './profile';
import * as Kn from './kernels';
import { Runtime } from './runtime';

/** Calls that reached WebGPU since install (or the last reset). */
export interface GpuCallCounter {
  dispatches: number;
  submits: number;
}

let counter: GpuCallCounter | null = null;

/** Wrap dispatchWorkgroups and submit once (idempotent); the returned counter keeps counting. */
export function installGpuCallCounter(): GpuCallCounter | null {
  if (counter) return counter;
  const g = globalThis as unknown as {
    GPUComputePassEncoder?: { prototype: GPUComputePassEncoder };
    GPUQueue?: { prototype: GPUQueue };
  };
  if (!g.GPUComputePassEncoder || !g.GPUQueue) return null;
  const c: GpuCallCounter = { dispatches: 0, submits: 0 };
  const pass = g.GPUComputePassEncoder.prototype;
  const dispatch = pass.dispatchWorkgroups;
  pass.dispatchWorkgroups = function (
    this: GPUComputePassEncoder,
    ...a: Parameters<GPUComputePassEncoder['dispatchWorkgroups']>
  ) {
    c.dispatches++;
    return dispatch.apply(this, a);
  };
  const queue = g.GPUQueue.prototype;
  const submit = queue.submit;
  queue.submit = function (this: GPUQueue, ...a: Parameters<GPUQueue['submit']>) {
    c.submits++;
    return submit.apply(this, a);
  };
  counter = c;
  return c;
}

/** What benchWebGPUEngine measures (the same names as the tfjs BenchResult where they mean the same). */
export interface EngineBenchResult extends StepBenchFigures {
  submitsPerStep: number;
  /** peakBytes: every buffer the engine holds (allocated once: the peak and the steady state are the same). */
  /** Our matmul kernel at the model's shapes. */
  matmul: MatmulShapeResult[];
  /** Sequences per row slice (the batch size unless opts.limits, or the device, made the batch run in slices). */
  sliceB: number;
  /**
   * With opts.gpuProfile: one extra step after the timed ones (not in their figures), each dispatch timed by
   * timestamp queries, with that step's own wall ms; or why it could not be profiled.
   */
  gpuProfile?: (GpuProfile & { stepMs: number }) | { error: string };
}

/** GFLOP/s of our matmul kernel at each shape: `reps` dispatches in one submit, timed to completion. */
export async function matmulBench(
  device: GPUDevice,
  cfg: GPTConfig,
  tiled: boolean,
  reps = 5,
): Promise<MatmulShapeResult[]> {
  const rt = new Runtime(device);
  const out: MatmulShapeResult[] = [];
  try {
    for (const s of matmulShapes(cfg)) {
      const a = rt.storage(s.M * s.K, 'A');
      const b = rt.storage(s.K * s.N, 'B');
      const c = rt.storage(s.M * s.N, 'C');
      const rng = createRng(1);
      device.queue.writeBuffer(
        a,
        0,
        Float32Array.from({ length: s.M * s.K }, () => rng.next() - 0.5),
      );
      device.queue.writeBuffer(
        b,
        0,
        Float32Array.from({ length: s.K * s.N }, () => rng.next() - 0.5),
      );
      const [sa0, sa1, sb0, sb1] = layoutStrides(s.layout, s.M, s.N, s.K);
      const d = {
        kernel: Kn.matmulKernel({}, tiled),
        uniforms: { M: s.M, N: s.N, K: s.K, sa0, sa1, sb0, sb1 },
        bind: { A: a, Bm: b, outC: c },
        grid: [Math.ceil(s.N / Kn.matmulTile(tiled)), Math.ceil(s.M / Kn.matmulTile(tiled))] as [
          number,
          number,
        ],
      };
      const p = rt.program(
        Array.from({ length: reps }, () => ({ ...d, uniforms: { ...d.uniforms } })),
        s.name,
      );
      const runOnce = async (): Promise<number> => {
        const t0 = performance.now();
        const enc = device.createCommandEncoder();
        const pass = enc.beginComputePass();
        p.encode(pass);
        pass.end();
        device.queue.submit([enc.finish()]);
        await device.queue.onSubmittedWorkDone();
        return performance.now() - t0;
      };
      await runOnce(); // compile and warm up
      const ms = await runOnce();
      out.push({ ...s, gflops: (2 * s.M * s.N * s.K * reps) / (ms / 1000) / 1e9 });
    }
  } finally {
    rt.dispose();
  }
  return out;
}

/** Train a preset for a few steps on synthetic data with the WebGPU engine and measure it. */
export async function benchWebGPUEngine(
  gpu: GPU,
  preset: PresetName | GPTConfig,
  opts: {
    steps?: number;
    warmup?: number;
    overrides?: Partial<GPTConfig>;
    matmulReps?: number;
    /** Profile one extra step per kernel (timestamp queries) after the timed ones (default false). */
    gpuProfile?: boolean;
    /** Plan under lowered device limits (a batch in row slices, to measure what slicing costs). */
    limits?: DeviceLimits;
  } = {},
): Promise<EngineBenchResult> {
  const cfg =
    typeof preset === 'string' ? makeConfig(preset, opts.overrides) : { ...preset, ...opts.overrides };
  const c = installGpuCallCounter();
  const steps = opts.steps ?? 5;
  const rng = createRng(cfg.seed);
  const data = benchTokens(cfg.vocabSize);
  const engine = await createWebGPUEngine(gpu, cfg, { profile: opts.gpuProfile, limits: opts.limits });
  try {
    for (let i = 0; i < (opts.warmup ?? 1); i++)
      await engine.step(sampleBatch(data, cfg.blockSize, cfg.batchSize, rng));
    const before = { ...(c ?? { dispatches: 0, submits: 0 }) };
    const timed = await timeSteps(engine, cfg, data, rng, steps);
    // Counted before the profiled step (its dispatches are not the timed steps').
    const dispatchesPerStep = c ? (c.dispatches - before.dispatches) / steps : NaN;
    const submitsPerStep = c ? (c.submits - before.submits) / steps : NaN;
    let gpuProfile: EngineBenchResult['gpuProfile'];
    if (opts.gpuProfile) {
      const batch = sampleBatch(data, cfg.blockSize, cfg.batchSize, rng);
      gpuProfile = engine.device.features.has('timestamp-query')
        ? await engine.profileStep(batch).then(({ result, profile }) => ({ ...profile, stepMs: result.ms }))
        : { error: 'the adapter has no timestamp-query feature' };
    }
    return {
      backend: `${engine.name} on ${engine.adapter}`,
      config: cfg,
      params: engine.numParams,
      steps,
      ...timed,
      dispatchesPerStep,
      submitsPerStep,
      peakBytes: engine.gpuBytes,
      sliceB: engine.sliceB,
      matmul: await matmulBench(engine.device, cfg, engine.tiled, opts.matmulReps),
      gpuProfile,
    };
  } finally {
    engine.dispose();
  }
}

/**
 * Dispatches and submits per training step of any engine (the factory's), counted at the WebGPU API:
 * one warm-up step, then `steps` counted steps on synthetic batches.
 */
export async function countCallsPerStep(
  factory: EngineFactory,
  cfg: GPTConfig,
  steps = 2,
): Promise<{ dispatches: number; submits: number } | undefined> {
  const c = installGpuCallCounter();
  if (!c) return undefined;
  const rng = createRng(cfg.seed);
  const data = benchTokens(cfg.vocabSize);
  const engine = await factory(cfg);
  try {
    await engine.step(sampleBatch(data, cfg.blockSize, cfg.batchSize, rng));
    const before = { ...c };
    for (let i = 0; i < steps; i++) await engine.step(sampleBatch(data, cfg.blockSize, cfg.batchSize, rng));
    return {
      dispatches: (c.dispatches - before.dispatches) / steps,
      submits: (c.submits - before.submits) / steps,
    };
  } finally {
    engine.dispose();
  }
}
