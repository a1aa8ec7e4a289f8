/**
 * Choosing the fastest backend by measurement (issue 13 §5): before a run, the worker times a few steps of
 * the learner's configuration on each backend that starts, and trains on the fastest. A software adapter
 * (WebGPU's `isFallbackAdapter`, or SwiftShader/llvmpipe in an adapter's or renderer's name) is named as
 * such, because "WebGPU" there is the CPU pretending to be a GPU, often ten times slower than WebAssembly.
 * Pure: no tfjs, no DOM; the worker does the timing.
 */
import type { BackendName } from '../protocol';

/** One backend's measurement. */
export interface BackendTiming {
  name: BackendName;
  /** The adapter or build the backend reported, e.g. "WebAssembly (SIMD, 2 threads)". */
  adapter: string;
  /** A software GPU (WebGPU or WebGL emulated on the CPU). */
  software: boolean;
  /** Median ms per training step of the learner's configuration; null when it did not run. */
  msPerStep: number | null;
  /** Why the backend could not be measured. */
  error?: string;
}

/** What an adapter tells about itself (WebGPU's GPUAdapterInfo, or WebGL's renderer string). */
export interface AdapterFacts {
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  description?: string;
  renderer?: string;
}

/** Names of CPU rasterisers that pose as GPUs. */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render driver|microsoft basic/i;

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
  cpu: 'JavaScript (CPU)',
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
