/**
 * Choosing the fastest backend by measurement (issue 13 §5): before a run, the worker times a few steps of
 * the learner's configuration on each backend that starts, and trains on the fastest. A software adapter
 * (WebGPU's `isFallbackAdapter`, or SwiftShader/llvmpipe in an adapter's or renderer's name) is named as
 * such, because "WebGPU" there is the CPU pretending to be a GPU, often ten times slower than WebAssembly.
 * Pure: no tfjs, no DOM; the worker does the timing.
 */
import type { BackendName, BackendTiming } from '../protocol';
import { now } from '../../model/clock';

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

/** The learner-facing name of a backend ("WebAssembly", "WebGPU", ...). */
export function backendLabel(name: BackendName): string {
  return LABEL[name];
}

/** A software adapter by the rasteriser's own name ("SwiftShader"), else the adapter string as reported. */
export function softwareName(adapter: string): string {
  const m = /swiftshader|llvmpipe|softpipe|microsoft basic render driver/i.exec(adapter);
  if (!m) return adapter.replace(/\s*\(fallback adapter\)$/, '') || 'fallback adapter';
  const known = ['SwiftShader', 'llvmpipe', 'softpipe', 'Microsoft Basic Render Driver'];
  return known.find((k) => k.toLowerCase() === m[0].toLowerCase()) ?? m[0];
}

/** "0.05 s/step" or "1.1 s/step": seconds with two significant digits. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return s >= 1 ? s.toFixed(1) : String(Number(s.toPrecision(2)));
}

/** What one backend's figure means: a median of timed steps, one step with compilation, or a timeout. */
function figure(t: BackendTiming): string {
  // The reason goes in parentheses inside the sentence: without its own closing full stop.
  if (t.msPerStep === null) return `not timed${t.error ? ` (${t.error.replace(/\.$/, '')})` : ''}`;
  if (t.overBudget) return `no step finished within ${seconds(t.msPerStep)} s`;
  if (t.firstOnly) return `${seconds(t.msPerStep)} s for its first step (compilation included)`;
  return `${seconds(t.msPerStep)} s/step`;
}

/** One backend's part of the explanation. */
function describe(t: BackendTiming): string {
  const label = LABEL[t.name];
  const named = !t.adapter || t.adapter.startsWith(label) ? t.adapter || label : `${label} (${t.adapter})`;
  const what = t.software ? `${label} is a software adapter here (${softwareName(t.adapter)})` : named;
  return `${what}: ${figure(t)}`;
}

/** A figure to rank by: backends that timed a step first, then those that ran out of time (lower bounds). */
function rank(t: BackendTiming): number {
  return (t.overBudget ? 1e12 : 0) + (t.msPerStep as number);
}

/**
 * The fastest measured backend and a sentence saying why, e.g. "WebGPU is a software adapter here
 * (SwiftShader): 1.1 s/step; WebAssembly (SIMD, 2 threads): 0.05 s/step — using WebAssembly."
 * Returns null when no backend ran.
 */
export function chooseFastest(timings: BackendTiming[]): { choice: BackendName; reason: string } | null {
  const ran = timings.filter((t) => t.msPerStep !== null && Number.isFinite(t.msPerStep));
  if (!ran.length) return null;
  const best = ran.reduce((a, b) => (rank(b) < rank(a) ? b : a));
  const reason = `${timings.map(describe).join('; ')} — using ${LABEL[best.name]}.`;
  return { choice: best.name, reason };
}

/** What measureBackends needs from the worker: start a backend, and build a throw-away engine on it. */
export interface MeasureDeps {
  /** Start a backend by name; resolves to the one that actually runs (it may fall through to a later one, `why`). */
  start(name: BackendName): Promise<{ name: BackendName; adapter: string; why?: string }>;
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

/** Timed steps per backend and each backend's time budget (the cell says them while timing). */
export const MEASURE_DEFAULTS: { steps: number; budgetMs: number } = { steps: 2, budgetMs: 1000 };

/** How measureBackends spends its time. */
export interface MeasureOptions {
  /** Timed steps per backend after the untimed one (default 2). */
  steps?: number;
  /** Time one backend may take, its untimed step included (default 1000 ms); a first step past it is abandoned. */
  budgetMs?: number;
  /** Backends not timed when their adapter is a software one (WebGL compiles shaders on the worker's thread). */
  skipSoftware?: readonly BackendName[];
  /** Aborted when the learner presses Stop: no further backend or step starts, a waiting step is abandoned. */
  signal?: AbortSignal;
  /** Called as each backend's turn starts (the cell says which one is being timed). */
  onBackend?: (name: BackendName) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Why a software WebGL is not timed. */
export const WEBGL_NOT_TIMED = 'its shaders would compile for seconds on the worker’s own thread';

/** What timing one engine found (the rest of a BackendTiming). */
type Figure = Pick<BackendTiming, 'msPerStep' | 'overBudget' | 'firstOnly'>;

/** Resolves when the signal aborts (never, without one). */
function aborted(signal: AbortSignal | undefined): Promise<null> {
  return new Promise((resolve) => signal?.addEventListener('abort', () => resolve(null), { once: true }));
}

/** One untimed step raced against the budget (and Stop), then timed steps while the budget lasts. */
async function timeEngine(
  engine: MeasuredEngine,
  deps: MeasureDeps,
  o: Required<MeasureOptions>,
): Promise<Figure> {
  const t0 = o.now();
  const firstStep = engine.step(deps.batch());
  firstStep.catch(() => undefined); // an abandoned step fails once its engine is disposed
  const timeout = o.sleep(o.budgetMs).then(() => null);
  const first = await Promise.race([firstStep, timeout, aborted(o.signal)]);
  if (first === null) return { msPerStep: o.now() - t0, overBudget: true };
  const times: number[] = [];
  while (times.length < o.steps && o.now() - t0 < o.budgetMs && !o.signal.aborted)
    times.push((await engine.step(deps.batch())).ms);
  if (!times.length) return { msPerStep: first.ms, firstOnly: true };
  return { msPerStep: times.sort((a, b) => a - b)[times.length >> 1] };
}

/**
 * Time the learner's configuration on each backend: one untimed step (shader compilation, buffer pools)
 * that may take at most `budgetMs`, then up to `steps` timed ones while the budget lasts; the figure is the
 * median timed step, or the untimed one (compilation included) when the budget ran out first, or the time
 * waited when even that step did not finish. Stops early, with what it has, when `signal` aborts.
 */
export async function measureBackends(
  names: readonly BackendName[],
  deps: MeasureDeps,
  opts: MeasureOptions = {},
): Promise<BackendTiming[]> {
  const o: Required<MeasureOptions> = {
    ...MEASURE_DEFAULTS,
    skipSoftware: [],
    signal: new AbortController().signal,
    onBackend: () => undefined,
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...opts,
  };
  const timings: BackendTiming[] = [];
  for (const name of names) {
    if (o.signal.aborted) break;
    o.onBackend(name);
    let adapter = '';
    try {
      const started = await deps.start(name);
      if (started.name !== name)
        throw new Error(started.why ?? `it did not start; ${started.name} runs instead`);
      adapter = started.adapter;
      const software = isSoftwareAdapter({ description: adapter });
      if (software && o.skipSoftware.includes(name)) {
        timings.push({ name, adapter, software, msPerStep: null, error: WEBGL_NOT_TIMED });
        continue;
      }
      const engine = await deps.engine();
      try {
        timings.push({ name, adapter, software, ...(await timeEngine(engine, deps, o)) });
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
