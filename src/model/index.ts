/** The GPT engine's public surface: import from here (hosts never need tfjs types). */
export * from './config';
export * from './data';
export * from './engine';
export * from './train';
export { checkSampleOptions, sampleToken, samplingDistribution, type SampleOptions } from '../lib/sampling';
export * from './checkpoint';
export * from './safetensors';
export * from './parity';
export * from './bench';
export { AdamW, ADAMW_DEFAULTS, type AdamWOptions, type AdamWState } from './adamw';
export { GPT, parameterSpecs, initialWeights, INIT_STD, MASK_VALUE, type ParamSpec } from './model';
export { registerKernels, unregisterKernels, getKernels, type Kernels, type DropoutKey } from './kernels';
