/**
 * Which engine the worker builds, chosen in one place: every other part of the worker takes the factory
 * this returns and sees only the Engine interface (src/model/engine.ts). To add an engine, import its
 * factory here and return it for the backends it serves; nothing else in the worker changes.
 */
import type { EngineFactory } from '../../model';
import { createTfjsEngine } from '../../model/tfjs/engine';
import type { BackendReport, EngineChoice } from '../protocol';

export type { EngineChoice } from '../protocol';

/** What the cell shows for each engine. */
export const ENGINE_LABELS: Record<Exclude<EngineChoice, 'auto'>, string> = {
  webgpu: 'WebGPU kernels written for this model (src/model/webgpu)',
  tfjs: 'TensorFlow.js',
};

/** The engine a choice resolves to on a backend: on WebGPU our own unless TensorFlow.js is asked for. */
export function resolveEngine(backend: BackendReport, choice: EngineChoice = 'auto'): 'tfjs' | 'webgpu' {
  return backend.name === 'webgpu' && choice !== 'tfjs' ? 'webgpu' : 'tfjs';
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
  if (resolveEngine(backend, choice) === 'tfjs') return createTfjsEngine; // runs on every backend
  return async (cfg, opts) => {
    const { createWebGPUEngine } = await import('../../model/webgpu');
    const engine = await createWebGPUEngine(
      (self.navigator as Navigator & { gpu?: GPU }).gpu ?? null,
      cfg,
      opts,
    );
    onDevice(engine.device);
    return engine;
  };
}
