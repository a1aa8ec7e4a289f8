/**
 * The CPU backend's dropout: the mask is built in JS by src/model/dropout-hash.ts (the exact twin of the
 * tensor-op hash in ./dropout.ts) and wrapped as a tensor, which on the CPU backend costs no upload.
 */
import * as tf from '../tf';
import { dropoutMaskValues, type DropoutKey } from '../../dropout-hash';

/**
 * Inverted dropout with the mask built in JS (the CPU backend's dropout: no tensor ops to build the mask,
 * no upload). Values and gradient equal hashDropout's on the CPU backend; the gradient reuses the mask.
 */
export const maskDropout = tf.op({
  maskDropout_(x: tf.Tensor, rate: number, key: DropoutKey): tf.Tensor {
    if (rate === 0) return x;
    const mask = tf.tensor(dropoutMaskValues(x.shape, rate, key), x.shape, 'float32'); // (...x.shape)
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [t, save] = args as [tf.Tensor, tf.GradSaveFunc];
      save([mask]);
      return {
        value: tf.mul(t, mask), // (...x.shape)
        gradFunc: (dy: tf.Tensor, [m]: tf.Tensor[]) => tf.mul(dy, m), // (...x.shape)
      };
    });
    return f(x);
  },
});
