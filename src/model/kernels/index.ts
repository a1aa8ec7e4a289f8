/**
 * Engine-specific kernels in one place. The model asks the registry for the implementation that suits the
 * active tfjs backend; every entry falls back to the portable tensor-op version, so a backend-specific
 * kernel (for example a fused WGSL dropout on WebGPU) can be registered without touching the model.
 */
import * as tf from '../tf';
import { hashDropout, type DropoutKey } from './dropout';
import { causalSoftmaxOps, layerNormOps } from './portable';

export { causalSoftmaxOps, layerNormOps } from './portable';
export {
  hashDropout,
  hashDropoutMask,
  dropoutKeys,
  fmix32,
  HASH_PRIME,
  HASH_MULTIPLIERS,
  type DropoutKey,
} from './dropout';

/** The replaceable kernels: each takes and returns tfjs tensors and must be differentiable w.r.t. x. */
export interface Kernels {
  /** Inverted dropout with a deterministic mask for (seed, step, salt). */
  dropout(x: tf.Tensor, rate: number, key: DropoutKey): tf.Tensor;
  /** nn.LayerNorm over the last axis: x (..., C), gamma (C), beta (C) → (..., C). */
  layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor;
  /** softmax(scores · scale + causal mask) over the last axis: (B, H, T, T) → (B, H, T, T). */
  causalSoftmax(scores: tf.Tensor4D, scale: number, mask: tf.Tensor2D): tf.Tensor4D;
}

/** The portable kernels (plain tfjs ops) every backend falls back to. */
export const portableKernels: Kernels = {
  dropout: hashDropout,
  layerNorm: layerNormOps,
  causalSoftmax: causalSoftmaxOps,
};
const byBackend = new Map<string, Partial<Kernels>>();

/** Register kernels for a backend name ('webgpu', 'webgl', 'cpu', ...); missing ones stay portable. */
export function registerKernels(backendName: string, kernels: Partial<Kernels>): void {
  byBackend.set(backendName, { ...byBackend.get(backendName), ...kernels });
}

/** Remove every kernel registered for a backend (tests use this to restore the portable versions). */
export function unregisterKernels(backendName: string): void {
  byBackend.delete(backendName);
}

/** The kernels for the active backend (or a named one), portable where nothing is registered. */
export function getKernels(backendName: string = tf.getBackend()): Kernels {
  return { ...portableKernels, ...byBackend.get(backendName) };
}
