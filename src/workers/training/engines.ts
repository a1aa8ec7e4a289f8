/**
 * Which engine the worker builds, chosen in one place: every other part of the worker takes the factory
 * this returns and sees only the Engine interface (src/model/engine.ts). To add an engine, import its
 * factory here and return it for the backends it serves; nothing else in the worker changes.
 */
import type { EngineFactory } from '../../model';
import { createTfjsEngine } from '../../model/tfjs/engine';
import type { BackendReport, EngineChoice } from '../protocol';
import wasmKernelsUrl from '../../model/wasm/kernels.wasm?url';

export type { EngineChoice } from '../protocol';

/** What the cell shows for each engine. */
export const ENGINE_LABELS: Record<Exclude<EngineChoice, 'auto'>, string> = {
  webgpu: 'WebGPU kernels written for this model (src/model/webgpu)',
  'webgpu-f16': 'WebGPU kernels with f16 matmul inputs and f32 accumulation (where the GPU has shader-f16)',
  wasm: 'WebAssembly SIMD kernels written for this model (src/model/wasm, one thread)',
  tfjs: 'TensorFlow.js',
};

/** The engine a choice resolves to on a backend: on WebGPU and wasm our own unless TensorFlow.js is asked for. */
export function resolveEngine(
  backend: BackendReport,
  choice: EngineChoice = 'auto',
): 'tfjs' | 'webgpu' | 'webgpu-f16' | 'wasm' {
  if (choice === 'tfjs') return 'tfjs';
  if (backend.name === 'wasm') return 'wasm';
  if (backend.name !== 'webgpu') return 'tfjs';
  return choice === 'webgpu-f16' ? choice : 'webgpu';
}

/** What the cell and the backend choice call the WebAssembly engine's device (tfjs's threads are not its). */
export const WASM_ENGINE_ADAPTER = 'WebAssembly (SIMD, our engine, 1 thread)';

/** The backend as the engine a choice resolves to uses it: the WebAssembly engine names itself. */
export function engineBackend(backend: BackendReport, choice: EngineChoice = 'auto'): BackendReport {
  return resolveEngine(backend, choice) === 'wasm' ? { ...backend, adapter: WASM_ENGINE_ADAPTER } : backend;
}

/**
 * The wasm backend as the WebAssembly engine uses it, without starting TensorFlow.js (the engine loads
 * only its own kernels), or null where the browser has no WebAssembly or TensorFlow.js is asked for.
 */
export function ownWasmBackend(choice: EngineChoice = 'auto'): BackendReport | null {
  if (choice === 'tfjs' || typeof WebAssembly !== 'object') return null;
  return { type: 'backend', name: 'wasm', adapter: WASM_ENGINE_ADAPTER, skipped: [] };
}

/** The WebAssembly engine's kernels, fetched from our origin and instantiated once per worker. */
let wasmKernels: Promise<import('../../model/wasm').WasmKernels> | null = null;

/** The WebAssembly engine's kernels (./kernels.wasm from our origin), loaded on first use and kept. */
export async function loadWasmKernels(): Promise<import('../../model/wasm').WasmKernels> {
  const { instantiateKernels } = await import('../../model/wasm');
  wasmKernels ??= fetch(wasmKernelsUrl)
    .then((r) => {
      if (!r.ok)
        throw new Error(`The WebAssembly kernels did not load (HTTP ${r.status} for ${wasmKernelsUrl}).`);
      return r.arrayBuffer();
    })
    .then(instantiateKernels)
    .catch((err: unknown) => {
      wasmKernels = null; // a later Train tries again
      throw err;
    });
  return wasmKernels;
}

/** The factory of the WebAssembly engine (its module and kernels load when first used). */
const createWasm: EngineFactory = async (cfg, opts) => {
  const { createWasmEngine } = await import('../../model/wasm');
  return createWasmEngine(await loadWasmKernels(), cfg, opts);
};

/**
 * Log lines naming the engine, the WebGPU engine's detected features, f16 asked for in vain, and a batch
 * run in row slices because its activations would pass the GPU's binding limit.
 */
export function engineNotes(
  backend: BackendReport,
  engine: object,
  choice: EngineChoice = 'auto',
): [string, 'info' | 'warn'][] {
  const notes: [string, 'info' | 'warn'][] = [
    [`Engine: ${ENGINE_LABELS[resolveEngine(backend, choice)]} on ${backend.name}.`, 'info'],
  ];
  const f = (engine as { features?: { subgroups?: boolean; f16?: boolean } }).features;
  if (!f) return notes;
  notes.push([
    `WebGPU features: ${f.subgroups ? 'subgroup reductions' : 'no subgroups (plain loops)'}; ` +
      `${f.f16 ? 'f16 matmul inputs, f32 accumulation' : 'f32 matmuls'}.`,
    'info',
  ]);
  if (choice === 'webgpu-f16' && !f.f16) notes.push(['This GPU has no shader-f16: training in f32.', 'warn']);
  const { sliceB, config } = engine as { sliceB?: number; config?: { batchSize: number } };
  if (sliceB && config && sliceB < config.batchSize) {
    const n = Math.ceil(config.batchSize / sliceB);
    notes.push([
      `A batch of ${config.batchSize} sequences runs as ${n} slices of at most ${sliceB}: its activations ` +
        "would pass this GPU's maxStorageBufferBindingSize. Each step sums the slices' gradients before " +
        'AdamW, so it trains as the whole batch would.',
      'info',
    ]);
  }
  return notes;
}

/**
 * The factory for a started backend (and an optional explicit choice). The WebGPU engine requests its own
 * device (its module loads only when first used); `onDevice` receives it so the worker can watch for loss.
 */
export function engineFactory(
  backend: BackendReport,
  choice: EngineChoice = 'auto',
  onDevice: (device: GPUDevice) => void = () => undefined,
): EngineFactory {
  const which = resolveEngine(backend, choice);
  if (which === 'tfjs') return createTfjsEngine; // runs on every backend
  if (which === 'wasm') return createWasm;
  return async (cfg, opts) => {
    const { createWebGPUEngine } = await import('../../model/webgpu');
    const engine = await createWebGPUEngine(
      (self.navigator as Navigator & { gpu?: GPU }).gpu ?? null,
      cfg,
      { ...opts, f16: choice === 'webgpu-f16' }, // mixed precision only where the device has shader-f16
    );
    onDevice(engine.device);
    return engine;
  };
}
