/**
 * The engine: the one interface the training loop, the worker and the UI talk to. It hides TensorFlow.js
 * (tensors, tidy, variables) behind plain typed arrays, so another implementation (hand-written WebGPU,
 * ONNX, a server) can replace it without touching anything above it.
 */
import * as tf from './tf';
import { createRng, type Rng } from '../lib/rng';
import { AdamW, type AdamWOptions, type AdamWState, type NamedArray } from './adamw';
import { assertValidConfig, type GPTConfig } from './config';
import { GPT, parameterSpecs } from './model';
import { sampleToken, type SampleOptions } from '../lib/sampling';

export type { NamedArray } from './adamw';

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

/** Weights keyed by the notes' PyTorch parameter names. */
export type WeightMap = Map<string, NamedArray>;

/** Options for text generation: sampling settings plus streaming and cancellation. */
export interface GenerateOptions extends SampleOptions {
  /** Random source for sampling; seeded from `seed` (default: the config's seed) when absent. */
  rng?: Rng;
  seed?: number;
  /** Called with every new token id as soon as it is sampled. */
  onToken?: (id: number) => void;
  /** Stop early when this returns true (checked before each token). */
  shouldStop?: () => boolean;
}

/** The model behind one small interface; every method works with plain arrays, never tensors. */
export interface Engine {
  readonly config: GPTConfig;
  /** The tfjs backend in use ('cpu', 'webgpu', ...). */
  readonly backend: string;
  readonly numParams: number;
  /** Optimiser steps taken so far. */
  readonly stepCount: number;
  /** One AdamW step on a batch (training mode, dropout on); rejects non-finite losses without updating. */
  step(batch: Batch, opts?: { learningRate?: number }): Promise<StepResult>;
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
  /** Free everything on the device; the engine is unusable afterwards. */
  dispose(): void;
}

/** Options of createEngine. */
export interface EngineOptions {
  /** Initial weights keyed by PyTorch name (default: the notes' init from config.seed). */
  weights?: WeightMap;
  /** AdamW settings; lr defaults to config.learningRate and weightDecay to config.weightDecay. */
  adamw?: Partial<AdamWOptions>;
  /** Also compute the global gradient norm each step (one extra reduction per parameter). */
  trackGradNorm?: boolean;
}

/** Milliseconds from a monotonic clock. */
function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

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

/** Loss and gradients (keyed by PyTorch name) for a batch, in training mode. Call inside tf.tidy. */
export function lossAndGradients(
  model: GPT,
  batch: Batch,
  step: number,
): { loss: tf.Scalar; grads: Map<string, tf.Tensor> } {
  const { batchSize: B, blockSize: T } = batch;
  const x = tf.tensor2d(batch.x, [B, T], 'int32'); // (B, T)
  const y = tf.tensor2d(batch.y, [B, T], 'int32'); // (B, T)
  const names = [...model.params.keys()];
  const vars = names.map((n) => model.params.get(n)!);
  const { value, grads } = tf.variableGrads(() => model.forward(x, y, { training: true, step }).loss!, vars);
  const byName = new Map<string, tf.Tensor>();
  names.forEach((n, i) => byName.set(n, grads[vars[i].name]));
  return { loss: value, grads: byName };
}

/** The TensorFlow.js implementation of Engine on whatever backend is active (set it before creating). */
export class TfjsEngine implements Engine {
  readonly config: GPTConfig;
  readonly backend: string;
  private readonly model: GPT;
  private readonly optimizer: AdamW;
  private readonly trackGradNorm: boolean;
  private disposed = false;

  /** Build the model and its optimiser on the active backend. */
  constructor(cfg: GPTConfig, opts: EngineOptions = {}) {
    assertValidConfig(cfg);
    this.config = { ...cfg };
    this.backend = tf.getBackend();
    const init = opts.weights ? toFloatMap(opts.weights, cfg) : undefined;
    this.model = init ? new GPT(cfg, init) : new GPT(cfg);
    this.optimizer = new AdamW(this.model.params, {
      lr: cfg.learningRate,
      weightDecay: cfg.weightDecay,
      ...opts.adamw,
    });
    this.trackGradNorm = opts.trackGradNorm ?? false;
  }

  get numParams(): number {
    return this.model.numParams;
  }

  get stepCount(): number {
    return this.optimizer.step;
  }

  /** The underlying GPT, for tests and the benchmark (not part of the Engine interface). */
  get gpt(): GPT {
    return this.model;
  }

  async step(batch: Batch, opts: { learningRate?: number } = {}): Promise<StepResult> {
    this.assertAlive();
    checkBatch(batch, this.config);
    const t0 = now();
    const lr = opts.learningRate ?? this.optimizer.options.lr;
    const { stats, grads } = tf.tidy(() => {
      const { loss, grads } = lossAndGradients(this.model, batch, this.optimizer.step);
      let stats: tf.Tensor = tf.reshape(loss, [1]); // (1)
      if (this.trackGradNorm) {
        const sq = [...grads.values()].map((g) => tf.sum(tf.square(g))); // P × ()
        stats = tf.concat([stats, tf.reshape(tf.sqrt(tf.addN(sq)), [1])]); // (2) = [loss, |g|]
      }
      return { stats, grads: Object.fromEntries(grads) };
    });
    const values = await stats.data();
    stats.dispose();
    const loss = values[0];
    const gradNorm = this.trackGradNorm ? values[1] : undefined;
    const finite = Number.isFinite(loss) && (gradNorm === undefined || Number.isFinite(gradNorm));
    if (finite) this.optimizer.apply(grads, lr);
    tf.dispose(Object.values(grads));
    const result: StepResult = { step: this.optimizer.step, loss, finite, ms: now() - t0 };
    if (gradNorm !== undefined) result.gradNorm = gradNorm;
    return result;
  }

  async estimateLoss(batches: Batch[]): Promise<number> {
    this.assertAlive();
    if (batches.length === 0) throw new RangeError('estimateLoss: need at least one batch');
    for (const b of batches) checkBatch(b, this.config);
    // One tidy per batch so only a scalar survives each forward pass; one read-back for all of them.
    const losses = batches.map((b) =>
      tf.tidy(() => {
        const x = tf.tensor2d(b.x, [b.batchSize, b.blockSize], 'int32'); // (B, T)
        const y = tf.tensor2d(b.y, [b.batchSize, b.blockSize], 'int32'); // (B, T)
        return this.model.forward(x, y, { training: false }).loss!; // ()
      }),
    );
    const mean = tf.tidy(() => tf.mean(tf.stack(losses))); // ()
    tf.dispose(losses);
    const value = (await mean.data())[0];
    mean.dispose();
    return value;
  }

  /** Logits (V) of the last position after the cropped context, read back to the CPU. */
  private async lastLogits(context: Int32Array): Promise<Float32Array> {
    if (context.length === 0) throw new RangeError('generate: the context must hold at least one token');
    const ctx = context.subarray(Math.max(0, context.length - this.config.blockSize)); // crop to block_size
    const T = ctx.length;
    const last = tf.tidy(() => {
      const idx = tf.tensor2d(ctx, [1, T], 'int32'); // (1, T)
      const { logits } = this.model.forward(idx, undefined, { training: false }); // (1, T, V)
      return tf.reshape(tf.slice(logits, [0, T - 1, 0], [1, 1, -1]), [-1]); // (V)
    });
    const data = (await last.data()) as Float32Array;
    last.dispose();
    return data;
  }

  async generate(context: Int32Array, maxNewTokens: number, opts: GenerateOptions = {}): Promise<Int32Array> {
    this.assertAlive();
    if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
      throw new RangeError(`generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
    }
    for (const id of context) {
      if (id < 0 || id >= this.config.vocabSize)
        throw new RangeError(`generate: token id ${id} outside the vocabulary`);
    }
    const rng = opts.rng ?? createRng(opts.seed ?? this.config.seed);
    const out = new Int32Array(context.length + maxNewTokens);
    out.set(context);
    let n = context.length;
    for (let i = 0; i < maxNewTokens; i++) {
      if (opts.shouldStop?.()) break;
      const logits = await this.lastLogits(out.subarray(0, n));
      const id = sampleToken(logits, rng, opts);
      out[n++] = id;
      opts.onToken?.(id);
    }
    return out.slice(0, n);
  }

  async nextTokenProbs(context: Int32Array): Promise<Float32Array> {
    this.assertAlive();
    const logits = await this.lastLogits(context);
    let max = -Infinity;
    for (const l of logits) max = Math.max(max, l);
    const probs = new Float32Array(logits.length);
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += probs[i] = Math.exp(logits[i] - max);
    for (let i = 0; i < probs.length; i++) probs[i] /= sum;
    return probs;
  }

  async attention(context: Int32Array): Promise<AttentionMaps> {
    this.assertAlive();
    if (context.length === 0) throw new RangeError('attention: the context must hold at least one token');
    const ctx = context.slice(Math.max(0, context.length - this.config.blockSize));
    const T = ctx.length;
    const stacked = tf.tidy(() => {
      const idx = tf.tensor2d(ctx, [1, T], 'int32'); // (1, T)
      const { attention } = this.model.forward(idx, undefined, { training: false, returnAttention: true });
      return tf.concat(attention!, 0); // (L, H, T, T)
    });
    const data = (await stacked.data()) as Float32Array;
    stacked.dispose();
    const { nLayer: L, nHead: H } = this.config;
    const weights = Array.from({ length: L }, (_, l) =>
      Array.from({ length: H }, (_, h) => data.slice((l * H + h) * T * T, (l * H + h + 1) * T * T)),
    );
    return { tokens: ctx, T, weights };
  }

  async getWeights(): Promise<WeightMap> {
    this.assertAlive();
    const out: WeightMap = new Map();
    for (const [name, p] of this.model.params) {
      out.set(name, { shape: [...p.shape], data: (await p.data()) as Float32Array });
    }
    return out;
  }

  setWeights(weights: WeightMap): void {
    this.assertAlive();
    for (const [name, w] of weights) {
      const p = this.model.param(name);
      if (w.shape.length !== p.shape.length || w.shape.some((d, i) => d !== p.shape[i])) {
        throw new RangeError(`setWeights: ${name} has shape [${w.shape}], the model expects [${p.shape}]`);
      }
    }
    this.model.setWeights(new Map([...weights].map(([n, w]) => [n, w.data])));
  }

  async getOptimizerState(): Promise<AdamWState> {
    this.assertAlive();
    return this.optimizer.getState();
  }

  setOptimizerState(state: AdamWState): void {
    this.assertAlive();
    this.optimizer.setState(state);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.optimizer.dispose();
    this.model.dispose();
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Engine: used after dispose()');
  }
}

/** Create the TensorFlow.js engine on the active backend. */
export function createEngine(cfg: GPTConfig, opts: EngineOptions = {}): TfjsEngine {
  return new TfjsEngine(cfg, opts);
}

/** Check a full weight map against the config's parameter list and strip the shapes. */
function toFloatMap(weights: WeightMap, cfg: GPTConfig): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const spec of parameterSpecs(cfg)) {
    const w = weights.get(spec.name);
    if (!w) throw new Error(`createEngine: the weights lack ${spec.name}`);
    if (w.shape.join() !== spec.shape.join()) {
      throw new RangeError(
        `createEngine: ${spec.name} has shape [${w.shape}], the config needs [${spec.shape}]`,
      );
    }
    out.set(spec.name, w.data);
  }
  return out;
}
