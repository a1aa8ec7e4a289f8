/**
 * Dropout whose mask is generated on the device from a counter-based hash, so nothing random is drawn on
 * the CPU and uploaded (tf.dropout draws its mask with tf.randomUniform, a JS loop, then uploads it: about
 * 33 MB per attention dropout at the notes' size).
 *
 * The hash works in float32 with exact integer arithmetic: every value is a residue modulo the prime
 * P = 4091, and P² < 2²⁴, so the product of two residues is an exact float32 integer on every backend
 * (WebGPU evaluates int32 element-wise ops in f32, so 32-bit integer hashes are not an option there).
 * For element (row r, column c) of the tensor viewed as (rows, cols):
 *
 *   h = (c·A1 + (r mod P)·B1 + k1) mod P          a linear mix of the coordinates and the first key
 *   h = h³ mod P                                  a permutation of Z_P (P ≡ 2 mod 3), the non-linear step
 *   h = (h·E + c·A2 + (r mod P)·B2 + ⌊r/P⌋·R2 + k2) mod P
 *   h = h³ mod P
 *   keep = h ≥ round(rate·P)
 *
 * Column coordinates are taken modulo P as well, so patterns repeat only after P columns and P² rows
 * (16.7 million rows). The keys k1, k2 come from a 32-bit hash of (seed, step, salt) computed in JS; a
 * different step or layer salt gives an unrelated mask. The drop probability is quantised to 1/4091.
 * About 16 element-wise ops per call; a fused WGSL kernel can replace this through the kernel registry.
 * On WebGPU, f32 `%` may return a residue off by ±P for exact multiples; values stay exact and the stream
 * stays deterministic, only a handful of elements (< 0.1 %) see a slightly different draw.
 */
import * as tf from '../tf';
import { dropoutKeys, HASH_MULTIPLIERS, HASH_PRIME, type DropoutKey } from '../../dropout-hash';

const P = HASH_PRIME;
const { A1, B1, E, A2, B2, R2 } = HASH_MULTIPLIERS;

/** x³ mod P for residues |x| ≤ P + 1 (each product < 2²⁴, so exact in float32). */
function cubeMod(h: tf.Tensor, p: tf.Scalar): tf.Tensor {
  const h2 = tf.mod(tf.mul(h, h), p); // (rows, cols)
  return tf.mod(tf.mul(h2, h), p); // (rows, cols)
}

/**
 * The scaled keep mask for a tensor of this shape: 1/(1 − rate) where kept, 0 where dropped (float32).
 * Call inside tf.tidy.
 */
export function hashDropoutMask(shape: number[], rate: number, key: DropoutKey): tf.Tensor {
  const cols = shape[shape.length - 1];
  const rows = shape.reduce((a, b) => a * b, 1) / cols;
  const [k1, k2] = dropoutKeys(key);
  const p = tf.scalar(P);
  const c = tf.reshape(tf.mod(tf.range(0, cols, 1, 'float32'), p), [1, cols]); // (1, cols)
  const r = tf.reshape(tf.range(0, rows, 1, 'float32'), [rows, 1]); // (rows, 1), exact while rows < 2²⁴
  const rLow = tf.mod(r, p); // (rows, 1)
  const rHigh = tf.mod(tf.cast(tf.floorDiv(r, p), 'float32'), p); // (rows, 1); floorDiv returns int32
  const colPart1 = tf.add(tf.mul(c, A1), k1); // (1, cols)
  const rowPart1 = tf.mul(rLow, B1); // (rows, 1)
  const colPart2 = tf.add(tf.mul(c, A2), k2); // (1, cols)
  const rowPart2 = tf.add(tf.mul(rLow, B2), tf.mul(rHigh, R2)); // (rows, 1)
  let h = tf.mod(tf.add(colPart1, rowPart1), p); // (rows, cols)
  h = cubeMod(h, p); // (rows, cols)
  h = tf.mod(tf.add(tf.add(tf.mul(h, E), colPart2), rowPart2), p); // (rows, cols)
  h = cubeMod(h, p); // (rows, cols)
  const threshold = Math.round(rate * P);
  const keep = tf.cast(tf.greaterEqual(h, threshold), 'float32'); // (rows, cols) 1 = keep
  return tf.reshape(tf.mul(keep, 1 / (1 - rate)), shape); // (...shape)
}

/** Inverted dropout with the hash mask: zero a fraction `rate` of x and scale the rest by 1/(1 − rate). */
export function hashDropout(x: tf.Tensor, rate: number, key: DropoutKey): tf.Tensor {
  if (rate === 0) return x;
  return tf.mul(x, hashDropoutMask(x.shape, rate, key)); // (...x.shape)
}
