/**
 * Fused WGSL kernels for tfjs-backend-webgpu, registered into the kernel registry under 'webgpu'. Import this
 * module only where the WebGPU backend package is loaded (the training worker, browser benches): it touches
 * the backend's program API. Each kernel has a portable twin (kernels/portable.ts, kernels/dropout.ts) that
 * other backends run and that the browser self-test compares it with.
 */
import { registerKernels, type Kernels } from '../index';
import { adamwUpdateWebGPU } from './adamw';
import { causalSoftmaxWebGPU } from './causal-softmax';
import { wgslDropout } from './dropout';
import { layerNormWebGPU } from './layer-norm';

/** The fused kernels this module provides: one WGSL dispatch (or a few) where tfjs runs a dozen ops. */
export const webgpuKernels: Partial<Kernels> = {
  dropout: wgslDropout,
  layerNorm: layerNormWebGPU,
  causalSoftmax: causalSoftmaxWebGPU,
  adamwUpdate: adamwUpdateWebGPU,
};

/** Register every fused WebGPU kernel; call once after tf.setBackend('webgpu'). */
export function registerWebGPUKernels(): void {
  registerKernels('webgpu', webgpuKernels);
}
