/**
 * TensorFlow.js core for src/model, with its gradients registered: tfjs-core alone registers none (the
 * @tensorflow/tfjs umbrella, which this project does not use, performs this import for its users).
 * Every module here imports tf from this file so training works whichever module a host loads first.
 *
 * Order matters in Node: there '@tensorflow/tfjs-core' resolves to the CommonJS bundle while the deep
 * gradients import loads the ES modules, and whichever copy loads first provides the global Tensor class.
 * Loading the package first makes that the complete copy (with chained ops); in a browser bundle both
 * paths are the same ES modules.
 */
export * from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
