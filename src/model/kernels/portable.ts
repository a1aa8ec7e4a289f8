/**
 * The portable kernels: plain tfjs ops that run on every backend and are differentiated by tfjs itself.
 * They define what each kernel computes; backend-specific versions (kernels/webgpu) must match them.
 */
import * as tf from '../tf';

/** nn.LayerNorm over the last axis (biased variance). x (..., C), gamma (C), beta (C) → (..., C). */
export function layerNormOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  const mean = tf.mean(x, -1, true); // (..., 1)
  const centred = tf.sub(x, mean); // (..., C)
  const variance = tf.mean(tf.square(centred), -1, true); // (..., 1)
  const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, eps))); // (..., C)
  return tf.add(tf.mul(normed, gamma), beta); // (..., C)
}

/**
 * Scale, causal mask and softmax of attention scores in one step: softmax(scores · scale + mask) over the
 * last axis, where mask is an additive (T, T) constant (0 on and below the diagonal, a large negative number
 * above it). scores (B, H, T, T) → weights (B, H, T, T), each row summing to 1.
 */
export function causalSoftmaxOps(scores: tf.Tensor4D, scale: number, mask: tf.Tensor2D): tf.Tensor4D {
  const scaled = tf.mul(scores, scale); // (B, H, T, T)
  const masked = tf.add(scaled, mask); // (B, H, T, T)
  return tf.softmax(masked) as tf.Tensor4D; // (B, H, T, T)
}
