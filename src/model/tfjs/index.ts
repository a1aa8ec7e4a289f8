/** The TensorFlow.js engine and its parts (the only place, with the worker's backend setup, that imports tfjs). */
export { createTfjsEngine, lossAndGradients, TfjsEngine } from './engine';
export { AdamW, groupBySize, MAX_GROUP_VALUES } from './adamw';
export { GPT, type ForwardOptions, type ForwardResult } from './model';
export * from './kernels';
export * from './bench';
export { fixWasmOneHot } from './wasm-fixes';
