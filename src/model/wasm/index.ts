/** The WebAssembly engine's public surface (no TensorFlow.js inside): engine and kernels. */
export { createWasmEngine, WasmEngine } from './engine';
export { instantiateKernels, WasmKernels } from './kernels';
export { benchWasmEngine, wasmMatmulBench, type WasmBenchResult } from './bench';
