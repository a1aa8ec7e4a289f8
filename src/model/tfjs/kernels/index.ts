/**
 * Engine-specific kernels in one place. The model asks the registry for the implementation that suits the
 * active tfjs backend; every entry falls back to the portable tensor-op version, so a backend-specific
 * kernel (for example a fused WGSL dropout on WebGPU) can be registered without touching the model.
 */
import * as tf from '../tf';
import type { DropoutKey } from '../../dropout-hash';
import { hashDropout } from './dropout';
import { maskDropout } from './dropout-mask';
import { adamwUpdateOps, causalSoftmaxOps, layerNormOps, type AdamWScalars } from './portable';
import { linearOps, matMulOps, untransposedLinear, untransposedMatMul, type Activation } from './matmul';

export { adamwUpdateOps, causalSoftmaxOps, layerNormOps, type AdamWScalars } from './portable';
export { hashDropout, hashDropoutMask } from './dropout';
export { maskDropout } from './dropout-mask';
export { linearOps, matMulOps, untransposedLinear, untransposedMatMul, type Activation } from './matmul';
export type { DropoutKey } from '../../dropout-hash';

/** The replaceable kernels: each takes and returns tfjs tensors and must be differentiable w.r.t. x. */
export interface Kernels {
  /** Inverted dropout with a deterministic mask for (seed, step, salt). */
  dropout(x: tf.Tensor, rate: number, key: DropoutKey): tf.Tensor;
  /** nn.LayerNorm over the last axis: x (..., C), gamma (C), beta (C) → (..., C). */
  layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor;
  /** softmax(scores · scale + causal mask) over the last axis: (B, H, T, T) → (B, H, T, T). */
  causalSoftmax(scores: tf.Tensor4D, scale: number, mask: tf.Tensor2D): tf.Tensor4D;
  /** One AdamW step on flat vectors: state (3n) = [p; m; v], g (n), keep (n) 1/0 or none → new state (3n). */
  adamwUpdate(state: tf.Tensor1D, g: tf.Tensor1D, s: AdamWScalars, keep?: tf.Tensor1D): tf.Tensor1D;
  /** a (M, K) @ b (K, N) → (M, N), differentiable w.r.t. both. */
  matMul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D;
  /** nn.Linear: x (N, in), PyTorch's weight (out, in), bias (out) or none → activation(x·Wᵀ + b) (N, out). */
  linear(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D | undefined, activation: Activation): tf.Tensor2D;
}

/** The portable kernels (plain tfjs ops) every backend falls back to. */
export const portableKernels: Kernels = {
  dropout: hashDropout,
  layerNorm: layerNormOps,
  causalSoftmax: causalSoftmaxOps,
  adamwUpdate: adamwUpdateOps,
  matMul: matMulOps,
  linear: linearOps,
};
/**
 * Built-in kernels for backends that need no extra package: the CPU and wasm backends build the dropout
 * mask in JS (dropout-mask.ts), which costs them no upload (their tensors are in CPU memory).
 * unregisterKernels leaves these in place; webgl keeps the portable tensor-op hash, which runs on the GPU.
 */
export const defaultKernels: Readonly<Record<string, Partial<Kernels>>> = {
  cpu: { dropout: maskDropout },
  // wasm's tensors live in the wasm heap, CPU memory: the JS mask is one copy away, where the tensor-op
  // hash costs ~17 element-wise kernels per call, six of them full-size Mods (13 % of a small step).
  // XNNPACK runs wasm's 2-D products only without transpose flags: 15–25× faster (kernels/matmul.ts).
  wasm: { dropout: maskDropout, matMul: untransposedMatMul, linear: untransposedLinear },
};
const byBackend = new Map<string, Partial<Kernels>>();

/** Register kernels for a backend name ('webgpu', 'webgl', 'cpu', ...); missing ones stay portable. */
export function registerKernels(backendName: string, kernels: Partial<Kernels>): void {
  byBackend.set(backendName, { ...byBackend.get(backendName), ...kernels });
}

/** Remove every kernel registered for a backend, back to its defaultKernels (or the portable ones). */
export function unregisterKernels(backendName: string): void {
  byBackend.delete(backendName);
}

/** The kernels for the active backend (or a named one): registered, else built-in default, else portable. */
export function getKernels(backendName: string = tf.getBackend()): Kernels {
  return { ...portableKernels, ...defaultKernels[backendName], ...byBackend.get(backendName) };
}
