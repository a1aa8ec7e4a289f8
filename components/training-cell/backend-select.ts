/**
 * The training cell's Backend select, without the DOM (issue 13 §5): "Automatic (fastest measured)" times
 * the learner's configuration on every backend before Train; the other options force one backend and
 * engine. Which options a browser can offer, the message shown while timing, and when an earlier
 * measurement still holds. Unit-tested in tests/unit/training-cell/backend-select.test.ts.
 */
import type { GPTConfig } from '../../src/model/config';
import type { BackendName, BackendTiming, EngineChoice } from '../../src/workers/protocol';
import { MEASURE_DEFAULTS, WEBGL_NOT_TIMED } from '../../src/workers/training/backend-choice';

/** A backend and engine to train on, as the train message carries them. */
export interface BackendPick {
  backend: BackendName;
  engine: EngineChoice;
}

/** One option of the select: its value, its text, and what it forces (none for Automatic). */
export interface BackendOption {
  value: string;
  label: string;
  pick?: BackendPick;
}

/** The select's options, in the order shown (Automatic first, the default). */
export const BACKEND_OPTIONS: readonly BackendOption[] = [
  { value: 'auto', label: 'Automatic (fastest measured)' },
  { value: 'webgpu', label: 'Our WebGPU engine', pick: { backend: 'webgpu', engine: 'webgpu' } },
  {
    value: 'webgpu-f16',
    label: 'Our WebGPU engine, f16 matmul inputs (shader-f16)',
    pick: { backend: 'webgpu', engine: 'webgpu-f16' },
  },
  { value: 'tfjs-webgpu', label: 'TensorFlow.js on WebGPU', pick: { backend: 'webgpu', engine: 'tfjs' } },
  { value: 'wasm', label: 'Our WebAssembly engine (SIMD)', pick: { backend: 'wasm', engine: 'wasm' } },
  { value: 'tfjs-wasm', label: 'TensorFlow.js on WebAssembly', pick: { backend: 'wasm', engine: 'tfjs' } },
  { value: 'webgl', label: 'WebGL (TensorFlow.js)', pick: { backend: 'webgl', engine: 'tfjs' } },
  { value: 'cpu', label: 'CPU, plain JavaScript (TensorFlow.js)', pick: { backend: 'cpu', engine: 'tfjs' } },
];

/** The backend and engine an option forces, or null for Automatic (and for a value that is no option). */
export function parseBackendChoice(value: string | null | undefined): BackendPick | null {
  return BACKEND_OPTIONS.find((o) => o.value === value)?.pick ?? null;
}

/** What the page can tell without starting anything: which of the browser's APIs exist. */
export interface BrowserFeatures {
  webgpu: boolean;
  webgl2: boolean;
  wasm: boolean;
}

/** The option values this browser may offer (CPU always; a backend whose API is missing never). */
export function availableOptions(f: BrowserFeatures, broken: ReadonlySet<BackendName> = new Set()): string[] {
  const has: Record<BackendName, boolean> = { webgpu: f.webgpu, webgl: f.webgl2, wasm: f.wasm, cpu: true };
  return BACKEND_OPTIONS.filter((o) => !o.pick || (has[o.pick.backend] && !broken.has(o.pick.backend))).map(
    (o) => o.value,
  );
}

/** Backends a measurement found unusable (they did not start), so the select stops offering them. */
export function brokenBackends(timings: readonly BackendTiming[]): Set<BackendName> {
  return new Set(
    timings.filter((t) => t.msPerStep === null && t.error !== WEBGL_NOT_TIMED).map((t) => t.name),
  );
}

/** The line shown while the backends are timed, saying how long it may take. */
export function choosingText(backends: number, o = MEASURE_DEFAULTS): string {
  const steps = o.steps === 1 ? 'one step' : `up to ${o.steps} steps`;
  return (
    `Choosing the fastest backend… timing ${steps} of this configuration on each of ${backends} ` +
    `backends, at most ${o.budgetMs / 1000} s each.`
  );
}

/** The fields that decide a step's cost: a measurement for the same values still holds. */
const SHAPE: readonly (keyof GPTConfig)[] = ['batchSize', 'blockSize', 'nEmbd', 'nHead', 'nLayer', 'dropout'];

/** Whether two configurations cost the same per step (so an earlier choice can be reused). */
export function sameStepCost(a: GPTConfig, b: GPTConfig): boolean {
  return SHAPE.every((k) => a[k] === b[k]);
}
