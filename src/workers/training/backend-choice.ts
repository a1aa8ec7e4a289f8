/**
 * Choosing the fastest backend by measurement (issue 13 §5): before a run, the worker times a few steps of
 * the learner's configuration on each backend that starts, and trains on the fastest. A software adapter
 * (WebGPU's `isFallbackAdapter`, or SwiftShader/llvmpipe in an adapter's or renderer's name) is named as
 * such, because "WebGPU" there is the CPU pretending to be a GPU, often ten times slower than WebAssembly.
 * Pure: no tfjs, no DOM; the worker does the timing.
 */
import type { BackendName, BackendTiming } from '../protocol';

export type { BackendTiming } from '../protocol';

/** What an adapter tells about itself (WebGPU's GPUAdapterInfo, or WebGL's renderer string). */
export interface AdapterFacts {
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  description?: string;
  renderer?: string;
}

/** Names of CPU rasterisers that pose as GPUs. */
const SOFTWARE =
  /swiftshader|llvmpipe|softpipe|software|fallback adapter|basic render driver|microsoft basic/i;

/** Whether an adapter is a software one: flagged as a fallback adapter, or named like a CPU rasteriser. */
export function isSoftwareAdapter(facts: AdapterFacts): boolean {
  if (facts.isFallbackAdapter) return true;
  return [facts.vendor, facts.architecture, facts.description, facts.renderer].some(
    (s) => typeof s === 'string' && SOFTWARE.test(s),
  );
}

const LABEL: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly',
  cpu: 'JavaScript',
};

/** "0.05 s/step" or "1.1 s/step": seconds with two significant digits. */
function perStep(ms: number): string {
  const s = ms / 1000;
  return `${s >= 1 ? s.toFixed(1) : s.toPrecision(2)} s/step`;
}

/** One backend's part of the explanation. */
function describe(t: BackendTiming): string {
  const label = LABEL[t.name];
  const named = t.adapter.startsWith(label) ? t.adapter : `${label} (${t.adapter})`;
  const what = t.software ? `${label} is a software adapter here (${t.adapter})` : named;
  if (t.msPerStep === null) return `${what}: did not run${t.error ? ` (${t.error})` : ''}`;
  return `${what}: ${perStep(t.msPerStep)}`;
}

/**
 * The fastest measured backend and a sentence saying why, e.g. "Using WebAssembly, the fastest here.
 * WebGPU is a software adapter here (SwiftShader): 1.1 s/step; WebAssembly (SIMD, 2 threads): 0.05 s/step."
 * Returns null when no backend ran.
 */
export function chooseFastest(timings: BackendTiming[]): { choice: BackendName; reason: string } | null {
  const ran = timings.filter((t) => t.msPerStep !== null && Number.isFinite(t.msPerStep));
  if (!ran.length) return null;
  const best = ran.reduce((a, b) => ((b.msPerStep as number) < (a.msPerStep as number) ? b : a));
  const reason = `Using ${LABEL[best.name]}, the fastest here. ${timings.map(describe).join('; ')}.`;
  return { choice: best.name, reason };
}

/** What measureBackends needs from the worker: start a backend, and build a throw-away engine on it. */
export interface MeasureDeps {
  /** Start a backend by name; resolves to the one that actually runs (it may fall through to a later one). */
  start(name: BackendName): Promise<{ name: BackendName; adapter: string }>;
  /** A fresh engine of the learner's configuration on the running backend. */
  engine(): MeasuredEngine | Promise<MeasuredEngine>;
  /** A batch of the configuration's shape. */
  batch(): Batch;
}

/** The part of an engine the measurement uses. */
export interface MeasuredEngine {
  step(batch: Batch): Promise<{ ms: number }>;
  dispose(): void;
}

/** A training batch, as the engines take it. */
export interface Batch {
  x: Int32Array;
  y: Int32Array;
  batchSize: number;
  blockSize: number;
}

/**
 * Time the learner's configuration on each backend: one untimed step (shader compilation, buffer pools),
 * then up to `steps` timed ones, stopping early once a backend has used `budgetMs`; the figure is the median
 * timed step (or the untimed one, an upper bound, when the budget ran out first).
 */
export async function measureBackends(
  names: readonly BackendName[],
  deps: MeasureDeps,
  opts: { steps?: number; budgetMs?: number; now?: () => number } = {},
): Promise<BackendTiming[]> {
  const steps = opts.steps ?? 3;
  const budgetMs = opts.budgetMs ?? 1500;
  const now = opts.now ?? (() => globalThis.performance?.now() ?? Date.now());
  const timings: BackendTiming[] = [];
  for (const name of names) {
    let adapter = '';
    try {
      const started = await deps.start(name);
      adapter = started.adapter;
      if (started.name !== name) throw new Error(`it did not start; ${started.name} runs instead`);
      const engine = await deps.engine();
      try {
        const t0 = now();
        const first = await engine.step(deps.batch());
        const times: number[] = [];
        while (times.length < steps && now() - t0 < budgetMs)
          times.push((await engine.step(deps.batch())).ms);
        const sorted = times.sort((a, b) => a - b);
        const msPerStep = sorted.length ? sorted[sorted.length >> 1] : first.ms;
        timings.push({ name, adapter, software: isSoftwareAdapter({ description: adapter }), msPerStep });
      } finally {
        engine.dispose();
      }
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      timings.push({
        name,
        adapter,
        software: isSoftwareAdapter({ description: adapter }),
        msPerStep: null,
        error,
      });
    }
  }
  return timings;
}
