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

import type { AdamWScalars } from '../../adamw-scalars';

export type { AdamWScalars };

/**
 * One AdamW step over all parameters laid end to end: state (3n) holds [p; m; v], g (n) the gradients.
 * Returns the new state (3n). Where keep (n, 1 or 0) is 0 the element keeps its p, m and v (a parameter
 * without a gradient). Per element:
 *   m' = β1·m + (1 − β1)·g,  v' = β2·v + (1 − β2)·g²,  p' = p·decay − stepSize · m' / (√v' / √(1 − β2ᵗ) + ε).
 */
export function adamwUpdateOps(
  state: tf.Tensor1D,
  g: tf.Tensor1D,
  s: AdamWScalars,
  keep?: tf.Tensor1D,
): tf.Tensor1D {
  const [p, m, v] = tf.split(state, 3); // 3 × (n)
  let mNew = tf.add(tf.mul(m, s.beta1), tf.mul(g, s.oneMinusBeta1)); // (n)
  let vNew = tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), s.oneMinusBeta2)); // (n)
  const denom = tf.add(tf.div(tf.sqrt(vNew), s.biasCorrection2Sqrt), s.eps); // (n)
  let pNew = tf.sub(tf.mul(p, s.decay), tf.mul(tf.div(mNew, denom), s.stepSize)); // (n)
  if (keep) {
    const k = tf.cast(keep, 'bool'); // (n)
    pNew = tf.where(k, pNew, p); // (n)
    mNew = tf.where(k, mNew, m); // (n)
    vNew = tf.where(k, vNew, v); // (n)
  }
  return tf.concat([pNew, mNew, vNew]) as tf.Tensor1D; // (3n)
}
