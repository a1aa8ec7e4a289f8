/**
 * The WebAssembly engine's bench (the bench page's and `npm run bench`'s wasm engine rows, and
 * scripts/bench/bench-node.mjs): median ms/step after warm-up with the figures every engine reports
 * (../bench-figures.ts), and its matmul's GFLOP/s at the model's matmul shapes (the same as the other engines').
 */
import { createRng } from '../../lib/rng';
import {
  benchTokens,
  layoutStrides,
  matmulShapes,
  timeSteps,
  type MatmulShapeResult,
  type StepBenchFigures,
} from '../bench-figures';
import { makeConfig, type GPTConfig, type PresetName } from '../config';
import { sampleBatch } from '../data';
import type { WasmKernels } from './kernels';
import { createWasmEngine } from './engine';

/** The step figures of the WebAssembly engine, plus its matmul at the model's shapes. */
export interface WasmBenchResult extends StepBenchFigures {
  /** No GPU: always 0 (the fields exist so every engine's row has the same columns). */
  submitsPerStep: number;
  matmul: MatmulShapeResult[];
  /** The best of those GFLOP/s, and the step's GFLOP/s as a fraction of it. */
  matmulGflops: number;
  fraction: number;
}

/**
 * GFLOP/s of the engine's matmul at the model's shapes (matmulShapes, with each pass's operand layout, so
 * the packing of a transposed operand counts as it does in a step): the best of `reps` timings.
 */
export function wasmMatmulBench(kernels: WasmKernels, cfg: GPTConfig, reps = 3): MatmulShapeResult[] {
  return matmulShapes(cfg).map((shape) => {
    const { M, N, K } = shape;
    const [sa0, sa1, sb0, sb1] = layoutStrides(shape.layout, M, N, K);
    const a = Float32Array.from({ length: M * K }, (_, i) => ((i % 13) - 6) / 7); // A's M·K values
    const b = Float32Array.from({ length: K * N }, (_, i) => ((i % 11) - 5) / 9); // B's K·N values
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      kernels.matmul(a, [sa0, sa1], b, [sb0, sb1], M, N, K);
      best = Math.min(best, performance.now() - t0);
    }
    return { ...shape, gflops: (2 * M * N * K) / (best / 1000) / 1e9 };
  });
}

/** Train a preset on the WebAssembly engine: warm-up steps, then `steps` timed ones. */
export async function benchWasmEngine(
  kernels: WasmKernels,
  preset: PresetName | GPTConfig,
  opts: { steps?: number; warmup?: number; warmupMs?: number; overrides?: Partial<GPTConfig> } = {},
): Promise<WasmBenchResult> {
  const cfg =
    typeof preset === 'string' ? makeConfig(preset, opts.overrides) : { ...preset, ...opts.overrides };
  const steps = opts.steps ?? 5;
  const rng = createRng(cfg.seed);
  const data = benchTokens(cfg.vocabSize);
  const engine = createWasmEngine(kernels, cfg);
  try {
    // Warm-up: at least `warmup` steps and at least `warmupMs` (the JavaScript around the kernels is
    // compiled by the JIT after some calls; a tiny step takes milliseconds, so 2 steps would time a cold one).
    const start = performance.now();
    for (let i = 0; i < (opts.warmup ?? 2) || performance.now() - start < (opts.warmupMs ?? 1000); i++)
      await engine.step(sampleBatch(data, cfg.blockSize, cfg.batchSize, rng)); // (B, T) batch
    const timed = await timeSteps(engine, cfg, data, rng, steps);
    const matmul = wasmMatmulBench(kernels, cfg);
    const matmulGflops = Math.max(...matmul.map((m) => m.gflops));
    return {
      backend: 'wasm (WebAssembly engine, SIMD, 1 thread)',
      config: cfg,
      params: engine.numParams,
      steps,
      ...timed,
      dispatchesPerStep: 0,
      submitsPerStep: 0,
      peakBytes: engine.memory().numBytes,
      matmul,
      matmulGflops,
      fraction: timed.gflops / matmulGflops,
    };
  } finally {
    engine.dispose();
  }
}
