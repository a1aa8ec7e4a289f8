/**
 * The engine seam: the one interface the training loop, the checkpoints, the parity check, the worker and
 * the UI talk to, with the plain-array types it speaks. No implementation lives here: TensorFlow.js is one
 * (`src/model/tfjs/`), a hand-written WebGPU engine another (`src/model/webgpu/`). An implementation takes a
 * config and options and returns an Engine; hosts pass such a factory (`EngineFactory`) wherever an engine
 * must be built (resuming a checkpoint, importing weights), so nothing above this file names an engine.
 */
import type { Rng } from '../lib/rng';
import type { SampleOptions } from '../lib/sampling';
import type { GPTConfig } from './config';

/** A tensor's values and shape, on the CPU. */
export interface NamedArray {
  shape: number[];
  data: Float32Array;
}

/** Weights keyed by the notes' PyTorch parameter names. */
export type WeightMap = Map<string, NamedArray>;

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

/** A batch of B sequences of T token ids, row-major (B, T); y is x shifted by one position. */
export interface Batch {
  x: Int32Array;
  y: Int32Array;
  batchSize: number;
  blockSize: number;
}

/** What one optimisation step reports. */
export interface StepResult {
  /** Optimiser steps completed after this call (unchanged when the step was rejected). */
  step: number;
  /** Training loss of this batch, before the update. */
  loss: number;
  /** False when the loss was NaN or ±Infinity: the update was skipped and the weights are untouched. */
  finite: boolean;
  /** Wall time of the call, including the loss read-back. */
  ms: number;
  /** Global L2 norm of the gradients, when the engine was created with trackGradNorm. */
  gradNorm?: number;
}

/** Attention weights for one sequence: weights[layer][head] is a (T, T) row-major Float32Array. */
export interface AttentionMaps {
  tokens: Int32Array;
  T: number;
  weights: Float32Array[][];
}

/** Options for text generation: sampling settings plus streaming and cancellation. */
export interface GenerateOptions extends SampleOptions {
  /** Random source for sampling; seeded from `seed` (default: the config's seed) when absent. */
  rng?: Rng;
  seed?: number;
  /** Called with every new token id as soon as it is sampled. */
  onToken?: (id: number) => void;
  /**
   * Stop early when this returns (or resolves to) true; awaited before each token, so a host can also
   * yield to its event loop there (a Stop message must be able to arrive during a long sample).
   */
  shouldStop?: () => boolean | Promise<boolean>;
}

/** What an engine holds in memory (for the memory report; GPU fields where the device has them). */
export interface EngineMemory {
  /** Live tensors or buffers. */
  numTensors: number;
  /** Bytes they hold. */
  numBytes: number;
  /** Bytes held on the GPU, where the engine knows it. */
  numBytesInGPU?: number;
  /** Bytes allocated on the GPU, including pooled free buffers. */
  numBytesAllocatedInGPU?: number;
}

/** The model behind one small interface; every method works with plain arrays, never tensors. */
export interface Engine {
  readonly config: GPTConfig;
  /** The implementation ('tfjs', 'webgpu', ...). */
  readonly name: string;
  /** The device it computes on: 'webgpu', 'webgl', 'wasm' or 'cpu'. */
  readonly backend: string;
  readonly numParams: number;
  /**
   * Sequences per row slice, for engines that run a batch a few sequences at a time when its activations
   * would pass a device limit (the WebGPU engine); absent where a batch always runs whole.
   */
  readonly sliceB?: number;
  /** Optimiser steps taken so far. */
  readonly stepCount: number;
  /** One AdamW step on a batch (training mode, dropout on); rejects non-finite losses without updating. */
  step(batch: Batch, opts?: { learningRate?: number }): Promise<StepResult>;
  /**
   * Optional, for engines whose device runs a queue (the WebGPU engine): encode and submit a step before
   * returning, and resolve once its loss is read back. A host may submit the next step before awaiting this
   * one (at most STEPS_IN_FLIGHT unresolved); steps run and resolve in submission order, and every other
   * method sees the state after all submitted steps. A step submitted while an earlier one's loss turns out
   * non-finite still runs (its update applies if its own loss is finite).
   */
  submitStep?(batch: Batch, opts?: { learningRate?: number }): Promise<StepResult>;
  /** Loss and gradients of a batch in training mode at the current step, without updating (parity checks). */
  lossAndGradients(batch: Batch): Promise<{ loss: number; grads: WeightMap }>;
  /** Logits (B, T, V) of a batch in eval mode. */
  logits(batch: Batch): Promise<NamedArray>;
  /** Mean loss over the batches in eval mode (no dropout, no update), with one read-back. */
  estimateLoss(batches: Batch[]): Promise<number>;
  /** Sample maxNewTokens ids after the context, cropping the context to the last blockSize ids each time. */
  generate(context: Int32Array, maxNewTokens: number, opts?: GenerateOptions): Promise<Int32Array>;
  /** Next-token probabilities (V) after the context (cropped to blockSize), at temperature 1. */
  nextTokenProbs(context: Int32Array): Promise<Float32Array>;
  /** Attention weights per layer and head for a context (cropped to blockSize). */
  attention(context: Int32Array): Promise<AttentionMaps>;
  /** Copy the weights to the CPU, keyed by PyTorch name. */
  getWeights(): Promise<WeightMap>;
  /** Overwrite weights (a subset is allowed; names and sizes must match). */
  setWeights(weights: WeightMap): void;
  getOptimizerState(): Promise<AdamWState>;
  setOptimizerState(state: AdamWState): void;
  /** What the engine holds in memory now. */
  memory(): EngineMemory;
  /** Free everything on the device; the engine is unusable afterwards. */
  dispose(): void;
}

/**
 * Steps a host may have submitted and unresolved at once through Engine.submitStep: step n + 1 is encoded
 * and queued while the device still runs step n and its loss is read back.
 */
export const STEPS_IN_FLIGHT = 2;

/** Options of an engine factory. */
export interface EngineOptions {
  /** Initial weights keyed by PyTorch name (default: the notes' init from config.seed). */
  weights?: WeightMap;
  /** AdamW settings; lr defaults to config.learningRate and weightDecay to config.weightDecay. */
  adamw?: Partial<AdamWOptions>;
  /** Also compute the global gradient norm each step (one extra reduction per parameter). */
  trackGradNorm?: boolean;
  /**
   * Plan as if the device's limits were these (lower only; engines without device limits ignore them): a
   * test runs a GPU engine's split bindings and row slices on a device whose real limits need neither.
   */
  limits?: DeviceLimits;
}

/** The device limits a GPU engine plans its buffers against (WebGPU's names, in bytes). */
export interface DeviceLimits {
  maxStorageBufferBindingSize?: number;
  maxBufferSize?: number;
}

/** Builds an engine for a config (on whatever device the host prepared). */
export type EngineFactory = (cfg: GPTConfig, opts?: EngineOptions) => Engine | Promise<Engine>;

/** Throw unless the batch has the advertised (B, T) layout and ids inside the vocabulary. */
export function checkBatch(batch: Batch, cfg: GPTConfig): void {
  const { batchSize: B, blockSize: T } = batch;
  if (!Number.isInteger(B) || B < 1 || !Number.isInteger(T) || T < 1 || T > cfg.blockSize) {
    throw new RangeError(`batch: need 1 <= T <= ${cfg.blockSize} and B >= 1, got B = ${B}, T = ${T}`);
  }
  if (batch.x.length !== B * T || batch.y.length !== B * T) {
    throw new RangeError(
      `batch: x and y must hold B·T = ${B * T} ids, got ${batch.x.length} and ${batch.y.length}`,
    );
  }
  for (const arr of [batch.x, batch.y]) {
    for (let i = 0; i < arr.length; i++) {
      if (arr[i] < 0 || arr[i] >= cfg.vocabSize) {
        throw new RangeError(
          `batch: token id ${arr[i]} at ${i} is outside the vocabulary [0, ${cfg.vocabSize})`,
        );
      }
    }
  }
}

/** A parameter's name and shape, as parameterSpecs and the engines' layouts list them. */
export interface NamedShape {
  name: string;
  shape: readonly number[];
}

/**
 * Throw unless every weight names a parameter and has its shape and size (and, with requireAll, every
 * parameter is there): what an engine's setWeights checks before it writes anything.
 */
export function checkWeights(weights: WeightMap, params: readonly NamedShape[], requireAll = false): void {
  const byName = new Map(params.map((p) => [p.name, p.shape]));
  for (const [name, w] of weights) {
    const shape = byName.get(name);
    if (!shape) throw new Error(`setWeights: unknown parameter ${name}`);
    if (w.shape.join() !== shape.join()) {
      throw new RangeError(`setWeights: ${name} has shape [${w.shape}], the model expects [${shape}]`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (w.data.length !== size)
      throw new RangeError(`setWeights: ${name} has ${w.data.length} values, expected ${size}`);
  }
  if (requireAll) {
    for (const p of params)
      if (!weights.has(p.name)) throw new Error(`createEngine: the weights lack ${p.name}`);
  }
}

/** Throw unless an AdamW state has a valid step and both moments of every parameter at its size. */
export function checkOptimizerState(state: AdamWState, params: readonly NamedShape[]): void {
  if (!Number.isInteger(state.step) || state.step < 0) {
    throw new RangeError(`AdamW.setState: step must be a non-negative integer, got ${state.step}`);
  }
  for (const p of params) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    for (const label of ['m', 'v'] as const) {
      const entry = state[label][p.name];
      if (!entry) throw new Error(`AdamW.setState: missing ${label} for ${p.name}`);
      if (entry.data.length !== size) {
        throw new RangeError(
          `AdamW.setState: ${label} for ${p.name} has ${entry.data.length} values, expected ${size}`,
        );
      }
    }
  }
}
