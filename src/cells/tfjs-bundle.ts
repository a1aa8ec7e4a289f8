/**
 * TensorFlow.js for the cell sandbox, built by Vite as one self-contained script: tfjs-core with its
 * gradients and chained ops, and the CPU backend, exposed as `self.tf`. The page fetches it (same
 * origin) only when a cell imports tfjs and posts it into the sandbox, which evaluates it.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';

(self as unknown as { tf: typeof tf }).tf = tf;
