/** The WebGPU engine's public surface (no TensorFlow.js inside): engine, self-check, bench, memory plan. */
export { createWebGPUEngine, requestEngineDevice, WebGPUEngine, type WebGPUEngineOptions } from './engine';
export { checkEngineKernels, type EngineCheckResult } from './check';
export { optionalFeatures } from './kernels';
export {
  benchWebGPUEngine,
  countCallsPerStep,
  installGpuCallCounter,
  matmulShapes,
  matmulBench,
  type EngineBenchResult,
  type GpuCallCounter,
  type MatmulShapeResult,
} from './bench';
export { aggregateTimestamps, type GpuProfile, type GpuTimeEntry } from './profile';
export { bufferPlan, checkPlan, paramLayout, type PlanLimits } from './plan';
