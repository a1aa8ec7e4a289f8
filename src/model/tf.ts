/**
 * TensorFlow.js core for src/model, with its gradients registered: tfjs-core alone registers none (the
 * @tensorflow/tfjs umbrella, which this project does not use, performs this import for its users).
 * Every module here imports tf from this file so training works whichever module a host loads first.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from '@tensorflow/tfjs-core';
