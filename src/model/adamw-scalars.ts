/**
 * AdamW's per-step scalars, computed once in double precision (as PyTorch computes them in Python floats)
 * and handed to every engine's update: the TensorFlow.js ops, its fused WGSL kernel, the WebGPU engine's
 * kernel (as uniforms of the same names) and the CPU twins.
 */

/** The scalars of one AdamW step t ≥ 1 (a type alias, so it passes as a kernel's Record of uniforms). */
export type AdamWScalars = {
  /** 1 − lr·weight_decay: the decoupled weight decay, applied to the parameter first. */
  decay: number;
  beta1: number;
  /** 1 − β1. */
  oneMinusBeta1: number;
  beta2: number;
  /** 1 − β2. */
  oneMinusBeta2: number;
  /** √(1 − β2ᵗ): the second moment's bias correction. */
  biasCorrection2Sqrt: number;
  eps: number;
  /** lr / (1 − β1ᵗ): the step size with the first moment's bias correction. */
  stepSize: number;
};

/** The scalars of step `t` (1-based) at learning rate `lr`, with AdamW's β1, β2, ε and weight decay. */
export function adamwScalars(
  o: { beta1: number; beta2: number; eps: number; weightDecay: number },
  lr: number,
  t: number,
): AdamWScalars {
  return {
    decay: 1 - lr * o.weightDecay,
    beta1: o.beta1,
    oneMinusBeta1: 1 - o.beta1,
    beta2: o.beta2,
    oneMinusBeta2: 1 - o.beta2,
    biasCorrection2Sqrt: Math.sqrt(1 - o.beta2 ** t),
    eps: o.eps,
    stepSize: lr / (1 - o.beta1 ** t),
  };
}
