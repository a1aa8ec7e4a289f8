/**
 * A benchmark that runs wherever the engine runs (Node on the CPU backend, a headless browser on WebGPU):
 * train a preset for a few steps on synthetic data and report speed, dispatches, memory and how close the
 * step comes to the backend's own matmul throughput.
 */
import { benchTokens, timeSteps, type StepBenchFigures } from '../bench-figures';
import * as tf from './tf';
import { createRng } from '../../lib/rng';
import type { MatmulShape } from '../bench-figures';
import { makeConfig, type GPTConfig, type PresetName } from '../config';
import { sampleBatch } from '../data';
import { now } from '../clock';
import { createTfjsEngine } from './engine';
import { getKernels, portableKernels, registerKernels, unregisterKernels, type Kernels } from './kernels';

/** What runBench measures. */
export interface BenchResult extends StepBenchFigures {
  /**
   * Kernels run by one training step according to tf.profile, less those that launch nothing on a GPU
   * (Reshape, Identity, and the `…__op` records of ops with custom gradients): about the WebGPU dispatches.
   */
  dispatchesPerStep: number;
  /** Every kernel tf.profile recorded for the step, no-ops included. */
  kernelsPerStep: number;
  /** What the backend holds after the step (peakBytes: tf.profile's peak during it). */
  bytesAfter: number;
  /** Best GFLOP/s of a plain square matmul on this backend (sizes tried in matmulSizes). */
  matmulGflops: number;
  /** gflops / matmulGflops: the share of the backend's matmul speed the training step achieves. */
  fraction: number;
  /** Registry kernels that ran a backend-specific implementation (e.g. ['dropout']); [] = all portable. */
  fusedKernels: (keyof Kernels)[];
  /** Wall time of the profiled step (tf.profile adds a little bookkeeping to it). */
  profiledMs: number;
  /** The profiled step's kernel time by kernel name, most expensive first (see kernelBreakdown). */
  kernelTimes: KernelTime[];
}

/** Time a step spent in one kind of kernel. */
export interface KernelTime {
  name: string;
  calls: number;
  /** Summed kernel time in ms as the backend measured it (wall time around the kernel on wasm and cpu). */
  ms: number;
}

/**
 * Group tf.profile's kernel records by name and sum their times (records without a time count 0 ms). The
 * `…__op` records of ops with custom gradients are left out: they wrap kernels that are recorded too, so
 * counting them would count that time twice.
 */
export function kernelBreakdown(kernels: { name: string; kernelTimeMs: unknown }[]): KernelTime[] {
  const byName = new Map<string, KernelTime>();
  for (const k of kernels) {
    if (k.name.endsWith('__op')) continue;
    const e = byName.get(k.name) ?? { name: k.name, calls: 0, ms: 0 };
    e.calls += 1;
    e.ms += typeof k.kernelTimeMs === 'number' && Number.isFinite(k.kernelTimeMs) ? k.kernelTimeMs : 0;
    byName.set(k.name, e);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name));
}

/** Options of runBench. */
export interface BenchOptions {
  /** Timed steps (default 10). */
  steps?: number;
  /** Untimed steps first, to compile shaders and fill buffer pools (default 2). */
  warmup?: number;
  /** Square matmul sizes for the peak estimate (default [256, 512, 1024]). */
  matmulSizes?: number[];
  /** Repetitions per matmul size (default 5). */
  matmulReps?: number;
  /** Config overrides on top of the preset. */
  overrides?: Partial<GPTConfig>;
  /** 'portable' runs every registry kernel as plain tfjs ops, to measure what the fused ones save (default 'fused'). */
  kernels?: 'fused' | 'portable';
}

/** Kernels that only relabel a tensor (no GPU work), and tf.profile's records of custom-gradient ops. */
const NO_DISPATCH = new Set(['Reshape', 'Identity']);

/** Kernel names that launch GPU work (everything but reshapes, identities and `…__op` wrapper records). */
export function countDispatches(kernelNames: string[]): number {
  return kernelNames.filter((n) => !NO_DISPATCH.has(n) && !n.endsWith('__op')).length;
}

/** Best GFLOP/s of an (n, n) @ (n, n) matmul over the sizes, timed to the read-back of a scalar. */
export async function matmulPeakGflops(sizes = [256, 512, 1024], reps = 5): Promise<number> {
  let best = 0;
  const rng = createRng(0);
  const random = (n: number): Float32Array => Float32Array.from({ length: n * n }, () => rng.next() - 0.5);
  for (const n of sizes) {
    const a = tf.tensor2d(random(n), [n, n]); // (n, n)
    const b = tf.tensor2d(random(n), [n, n]); // (n, n)
    const warm = tf.tidy(() => tf.sum(tf.matMul(a, b))); // ()
    await warm.data();
    warm.dispose();
    const t0 = now();
    const outs: tf.Tensor[] = [];
    for (let r = 0; r < reps; r++) outs.push(tf.matMul(a, b)); // reps × (n, n)
    const done = tf.tidy(() => tf.addN(outs.map((o) => tf.slice(o, [0, 0], [1, 1])))); // (1, 1)
    await done.data();
    const seconds = (now() - t0) / 1000;
    tf.dispose([a, b, done, ...outs]);
    best = Math.max(best, (2 * n ** 3 * reps) / seconds / 1e9);
  }
  return best;
}

/** GFLOP/s of tf.matMul at each shape (transposes as flags, as the tfjs engine calls it), `reps` per timing. */
export async function tfjsMatmulShapes(
  shapes: MatmulShape[],
  reps = 5,
): Promise<(MatmulShape & { gflops: number })[]> {
  const rng = createRng(1);
  const out: (MatmulShape & { gflops: number })[] = [];
  for (const s of shapes) {
    const random = (r: number, c: number): tf.Tensor2D =>
      tf.tensor2d(
        Float32Array.from({ length: r * c }, () => rng.next() - 0.5),
        [r, c],
      );
    const a = s.layout === 'tn' ? random(s.K, s.M) : random(s.M, s.K); // (K, M) or (M, K)
    const b = s.layout === 'nt' ? random(s.N, s.K) : random(s.K, s.N); // (N, K) or (K, N)
    const run = (): tf.Tensor => tf.matMul(a, b, s.layout === 'tn', s.layout === 'nt'); // (M, N)
    const time = async (): Promise<number> => {
      const t0 = now();
      const outs: tf.Tensor[] = [];
      for (let r = 0; r < reps; r++) outs.push(run()); // reps × (M, N)
      const done = tf.tidy(() => tf.addN(outs.map((o) => tf.slice(o, [0, 0], [1, 1])))); // (1, 1)
      await done.data();
      tf.dispose([done, ...outs]);
      return now() - t0;
    };
    await time(); // compile and warm up
    const ms = await time();
    tf.dispose([a, b]);
    out.push({ ...s, gflops: (2 * s.M * s.N * s.K * reps) / (ms / 1000) / 1e9 });
  }
  return out;
}

/** The registry kernels of the active backend that are not the portable ones. */
export function fusedKernelNames(): (keyof Kernels)[] {
  const active = getKernels();
  return (Object.keys(portableKernels) as (keyof Kernels)[]).filter((k) => active[k] !== portableKernels[k]);
}

/** Run f with the portable kernels on the active backend, then restore exactly the kernels it had. */
export async function withPortableKernels<T>(f: () => Promise<T>): Promise<T> {
  const backend = tf.getBackend();
  const before = getKernels(backend);
  registerKernels(backend, portableKernels);
  try {
    return await f();
  } finally {
    unregisterKernels(backend);
    const base = getKernels(backend);
    const keys = Object.keys(before) as (keyof Kernels)[];
    registerKernels(
      backend,
      Object.fromEntries(keys.filter((k) => before[k] !== base[k]).map((k) => [k, before[k]])),
    );
  }
}

/** Train a preset on synthetic data on the active backend and measure it. */
export async function runBench(
  preset: PresetName | GPTConfig,
  opts: BenchOptions = {},
): Promise<BenchResult> {
  if (opts.kernels === 'portable')
    return withPortableKernels(() => runBench(preset, { ...opts, kernels: 'fused' }));
  const cfg =
    typeof preset === 'string' ? makeConfig(preset, opts.overrides) : { ...preset, ...opts.overrides };
  const steps = opts.steps ?? 10;
  const warmup = opts.warmup ?? 2;
  const rng = createRng(cfg.seed);
  // A learnable synthetic stream, as in the PyTorch baseline: (7i + ⌊i/8⌋) mod V.
  const data = benchTokens(cfg.vocabSize);
  const engine = createTfjsEngine(cfg);
  try {
    for (let i = 0; i < warmup; i++) await engine.step(sampleBatch(data, cfg.blockSize, cfg.batchSize, rng));
    const t0 = now();
    const profile = await tf.profile(async () => {
      await engine.step(sampleBatch(data, cfg.blockSize, cfg.batchSize, rng));
    });
    const profiledMs = now() - t0;
    const { msPerStep, tokensPerSec, gflops, finalLoss } = await timeSteps(engine, cfg, data, rng, steps);
    const matmulGflops = await matmulPeakGflops(opts.matmulSizes, opts.matmulReps);
    const mem = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
    return {
      backend: tf.getBackend(),
      config: cfg,
      params: engine.numParams,
      steps,
      msPerStep,
      tokensPerSec,
      gflops,
      dispatchesPerStep: countDispatches(profile.kernels.map((k) => k.name)),
      kernelsPerStep: profile.kernels.length,
      peakBytes: profile.peakBytes,
      bytesAfter: mem.numBytesInGPU ?? mem.numBytes,
      matmulGflops,
      fraction: matmulGflops > 0 ? gflops / matmulGflops : 0,
      finalLoss,
      fusedKernels: fusedKernelNames(),
      profiledMs,
      kernelTimes: kernelBreakdown(profile.kernels),
    };
  } finally {
    engine.dispose();
  }
}

/** One line per result, for logs and the bench report. */
export function formatBench(r: BenchResult): string {
  const c = r.config;
  return (
    `${r.backend} C=${c.nEmbd} H=${c.nHead} L=${c.nLayer} T=${c.blockSize} B=${c.batchSize} params=${r.params} ` +
    `ms/step=${r.msPerStep.toFixed(1)} tok/s=${r.tokensPerSec.toFixed(0)} GFLOP/s=${r.gflops.toFixed(2)} ` +
    `(matmul peak ${r.matmulGflops.toFixed(2)}, ${(r.fraction * 100).toFixed(0)}%) ` +
    `dispatches/step=${r.dispatchesPerStep} peak=${(r.peakBytes / 2 ** 20).toFixed(1)} MiB loss=${r.finalLoss.toFixed(3)} ` +
    `kernels=${r.fusedKernels.length ? r.fusedKernels.join('+') : 'portable'}`
  );
}
