/// <reference lib="webworker" />
/**
 * The worker's backend setup (the one module outside src/model/tfjs/ that may import @tensorflow/*, for the
 * backend packages and the wasm binaries' URLs): probe the browser, start a TensorFlow.js backend in the
 * order webgpu → webgl → wasm → cpu, importing each package only when it is tried, and say why earlier ones
 * were skipped. Engines that bring their own device (a hand-written WebGPU engine) still get the report
 * here: its `name` says which device class is usable.
 */
import * as tf from '../../model/tfjs/tf';
import { fixWasmOneHot } from '../../model/tfjs/wasm-fixes';
import { BACKEND_ORDER, type BackendName, type BackendReport } from '../protocol';
import { errorText } from './post';
import { useEveryCore, wasmBackendName, wasmSetup, withAllCores } from './wasm-threads';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Start a registered backend by calling its factory ourselves, so a failure comes back with its real reason
 * (tf.setBackend only returns false, and its warning is silenced in production builds).
 */
async function setBackend(name: string, what: string): Promise<void> {
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new Error(`the TensorFlow.js ${what} backend is not registered.`);
  let instance: tf.KernelBackend;
  try {
    instance = await factory();
  } catch (err) {
    throw new Error(`the TensorFlow.js ${what} backend failed to start (${errorText(err)}).`, {
      cause: err,
    });
  }
  tf.removeBackend(name);
  tf.registerBackend(name, () => instance);
  if (!(await tf.setBackend(name))) throw new Error(`the TensorFlow.js ${what} backend failed to start.`);
}

/** Try one backend; resolves to its adapter name, or throws a sentence saying why it is unusable. */
async function tryBackend(name: BackendName): Promise<string> {
  if (name === 'webgpu') {
    const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) throw new Error('WebGPU is not available in this browser (no navigator.gpu).');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('WebGPU is present but no GPU adapter was found.');
    const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
    await import('@tensorflow/tfjs-backend-webgpu');
    await setBackend('webgpu', 'WebGPU');
    const { registerWebGPUKernels } = await import('../../model/tfjs/kernels/webgpu');
    registerWebGPUKernels(); // fused WGSL kernels (dropout, LayerNorm, causal softmax, AdamW) for this backend
    const name = info
      ? [info.vendor, info.architecture, info.description].filter(Boolean).join(' ')
      : 'unknown';
    // A software adapter says so (backend-choice.ts names it as such when choosing the fastest backend).
    const fallback = (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter;
    return fallback ? `${name} (fallback adapter)` : name;
  }
  if (name === 'webgl') {
    if (typeof OffscreenCanvas === 'undefined') throw new Error('WebGL needs OffscreenCanvas in a worker.');
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) throw new Error('WebGL 2 is not available.');
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : 'WebGL 2';
    await import('@tensorflow/tfjs-backend-webgl');
    await setBackend('webgl', 'WebGL');
    return renderer;
  }
  if (name === 'wasm') {
    if (typeof WebAssembly === 'undefined') throw new Error('WebAssembly is not available.');
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    });
    useEveryCore(wasm); // the threaded SIMD build runs where the page is cross-origin isolated
    await withAllCores(() => setBackend('wasm', 'WebAssembly'));
    fixWasmOneHot(); // tfjs-backend-wasm 4.22's float32 one-hot holds int32 bits: the model could not learn
    const flag = (f: string): Promise<boolean> => tf.env().getAsync(f) as Promise<boolean>;
    const flags = { simd: flag('WASM_HAS_SIMD_SUPPORT'), threads: flag('WASM_HAS_MULTITHREAD_SUPPORT') };
    return wasmBackendName(await wasmSetup(wasm, flags)); // "WebAssembly (SIMD, N threads)" or why 1
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await setBackend('cpu', 'CPU');
  return 'JavaScript on the CPU';
}

let current: BackendReport | null = null;
/** Backend changes are global to tfjs: run them one at a time (an init and a bench can arrive together). */
let lock: Promise<unknown> = Promise.resolve();

/** Start the first backend that works (from `prefer` on), or return the one already running. */
export function initBackend(prefer?: BackendName): Promise<BackendReport> {
  const next = lock.then(() => initBackendNow(prefer));
  lock = next.catch(() => undefined);
  return next;
}

/** Resolves once any backend start already asked for has ended (so replies keep their order). */
export function backendSettled(): Promise<unknown> {
  return lock;
}

/** Backends started in this worker: switching back to one reuses it (a second wasm init fails). */
const started = new Map<BackendName, BackendReport>();

async function initBackendNow(prefer?: BackendName): Promise<BackendReport> {
  if (current && (!prefer || current.name === prefer)) return current;
  const again = prefer && started.get(prefer);
  if (again && (await tf.setBackend(again.name))) return (current = again);
  const skipped: string[] = [];
  const start = prefer ? BACKEND_ORDER.indexOf(prefer) : 0;
  for (const name of BACKEND_ORDER.slice(start)) {
    try {
      const adapter = await tryBackend(name);
      tf.enableProdMode();
      current = { type: 'backend', name, adapter, skipped };
      started.set(name, current);
      return current;
    } catch (err) {
      skipped.push(`${name}: ${errorText(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.join(' ')}`);
}

/** The GPU device of the active tfjs backend, where it has one (WebGPU); none before tfjs has started. */
export function activeDevice(): GPUDevice | undefined {
  if (!current) return undefined; // tf.backend() would start one of its own
  return (tf.backend() as unknown as { device?: GPUDevice }).device;
}
