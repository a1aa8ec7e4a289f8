/**
 * AdamW by hand over tf.variables, with torch.optim.AdamW's semantics and defaults (tfjs ships Adam but no
 * decoupled weight decay). For each parameter p with gradient g, at step t (starting at 1):
 *
 *   p ← p · (1 − lr·wd)                         decoupled weight decay, applied to every parameter
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * The state (m, v, t) exports to Float32Arrays for checkpoints and imports back.
 */
import * as tf from './tf';

/** AdamW hyperparameters; the defaults are PyTorch's. */
export interface AdamWOptions {
  /** Learning rate (PyTorch default 1e-3). */
  lr: number;
  /** Decay of the first-moment average (0.9). */
  beta1: number;
  /** Decay of the second-moment average (0.999). */
  beta2: number;
  /** Added to √v̂ to avoid division by zero (1e-8). */
  eps: number;
  /** Decoupled weight decay (0.01). */
  weightDecay: number;
}

/** torch.optim.AdamW's defaults. */
export const ADAMW_DEFAULTS: AdamWOptions = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0.01,
};

/** A tensor's values and shape, on the CPU. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/** Everything needed to resume the optimiser: step count, both moments per parameter, hyperparameters. */
export interface AdamWState {
  /** Steps taken (PyTorch's state['step']); bias correction uses step + 1 next. */
  step: number;
  /** First moments keyed by parameter name. */
  m: Record<string, NamedArray>;
  /** Second moments keyed by parameter name. */
  v: Record<string, NamedArray>;
  options: AdamWOptions;
}

/** AdamW over a fixed set of named variables; moments live on the device as variables. */
export class AdamW {
  readonly options: AdamWOptions;
  /** Steps taken so far. */
  step = 0;
  private readonly params: Map<string, tf.Variable>;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  /** Track the given variables (keyed by name) with zero moments. */
  constructor(params: Map<string, tf.Variable>, options: Partial<AdamWOptions> = {}) {
    this.options = { ...ADAMW_DEFAULTS, ...options };
    this.params = params;
    for (const [name, p] of params) {
      this.m.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
      this.v.set(
        name,
        tf.tidy(() => tf.variable(tf.zerosLike(p), false)),
      );
    }
  }

  /** Apply one update from gradients keyed by parameter name (a missing gradient leaves that parameter alone). */
  apply(grads: Map<string, tf.Tensor> | Record<string, tf.Tensor>, lr: number = this.options.lr): void {
    const { beta1, beta2, eps, weightDecay } = this.options;
    const t = this.step + 1;
    const gradMap = grads instanceof Map ? grads : new Map(Object.entries(grads));
    tf.tidy(() => {
      // Scalars computed in double precision, as PyTorch does in Python floats.
      const decay = tf.scalar(1 - lr * weightDecay);
      const b1 = tf.scalar(beta1);
      const oneMinusB1 = tf.scalar(1 - beta1);
      const b2 = tf.scalar(beta2);
      const oneMinusB2 = tf.scalar(1 - beta2);
      const bc2Sqrt = tf.scalar(Math.sqrt(1 - beta2 ** t));
      const epsilon = tf.scalar(eps);
      const stepSize = tf.scalar(lr / (1 - beta1 ** t));
      for (const [name, p] of this.params) {
        const g = gradMap.get(name);
        if (!g) continue;
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        const mNew = tf.add(tf.mul(m, b1), tf.mul(g, oneMinusB1)); // same shape as p
        const vNew = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), oneMinusB2)); // same shape as p
        const denom = tf.add(tf.div(tf.sqrt(vNew), bc2Sqrt), epsilon); // same shape as p
        const pNew = tf.sub(tf.mul(p, decay), tf.mul(tf.div(mNew, denom), stepSize)); // same shape as p
        m.assign(mNew);
        v.assign(vNew);
        p.assign(pNew);
      }
    });
    this.step = t;
  }

  /** Copy the state to the CPU (awaits the device). */
  async getState(): Promise<AdamWState> {
    const m: Record<string, NamedArray> = {};
    const v: Record<string, NamedArray> = {};
    for (const name of this.params.keys()) {
      const mv = this.m.get(name)!;
      const vv = this.v.get(name)!;
      m[name] = { shape: [...mv.shape], data: (await mv.data()) as Float32Array };
      v[name] = { shape: [...vv.shape], data: (await vv.data()) as Float32Array };
    }
    return { step: this.step, m, v, options: { ...this.options } };
  }

  /** Restore a state from getState (names and shapes must match; hyperparameters are taken from the state). */
  setState(state: AdamWState): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new RangeError(`AdamW.setState: step must be a non-negative integer, got ${state.step}`);
    }
    for (const [name, p] of this.params) {
      for (const [label, src, dst] of [
        ['m', state.m, this.m],
        ['v', state.v, this.v],
      ] as const) {
        const entry = src[name];
        if (!entry) throw new Error(`AdamW.setState: missing ${label} for ${name}`);
        if (entry.data.length !== p.size) {
          throw new RangeError(
            `AdamW.setState: ${label} for ${name} has ${entry.data.length} values, expected ${p.size}`,
          );
        }
        tf.tidy(() => dst.get(name)!.assign(tf.tensor(entry.data, p.shape, 'float32')));
      }
    }
    Object.assign(this.options, state.options);
    this.step = state.step;
  }

  /** Free the moment variables. */
  dispose(): void {
    for (const t of [...this.m.values(), ...this.v.values()]) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}
