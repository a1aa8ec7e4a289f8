/** The GPT's engine-neutral surface: import from here (no TensorFlow.js; engines live in ./tfjs, ./webgpu). */
export * from './config';
export * from './data';
export * from './engine';
export * from './params';
export * from './dropout-hash';
export * from './train';
export { checkSampleOptions, sampleToken, samplingDistribution, type SampleOptions } from '../lib/sampling';
export * from './checkpoint';
export * from './safetensors';
export * from './parity';
