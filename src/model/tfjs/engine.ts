/**
 * The TensorFlow.js engine: the Engine interface (../engine.ts) over tfjs tensors, tidy and variables, on
 * whatever tfjs backend the host made active. Everything above it sees plain typed arrays only.
 */
import * as tf from './tf';
import { cropContext, LogitsDecoder } from '../decode';
import { assertValidConfig, type GPTConfig } from '../config';
import {
  checkBatch,
  type AdamWState,
  type AttentionMaps,
  type Batch,
  type Engine,
  type EngineMemory,
  type EngineOptions,
  type NamedArray,
  type StepResult,
  type WeightMap,
} from '../engine';
import { parameterSpecs } from '../params';
import { now } from '../clock';
import { AdamW } from './adamw';
import { GPT } from './model';

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
export class TfjsEngine extends LogitsDecoder implements Engine {
  readonly config: GPTConfig;
  readonly name = 'tfjs';
  readonly backend: string;
  private readonly model: GPT;
  private readonly optimizer: AdamW;
  private readonly trackGradNorm: boolean;
  private disposed = false;

  /** Build the model and its optimiser on the active backend. */
  constructor(cfg: GPTConfig, opts: EngineOptions = {}) {
    super();
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

  async lossAndGradients(batch: Batch): Promise<{ loss: number; grads: WeightMap }> {
    this.assertAlive();
    checkBatch(batch, this.config);
    const { loss, grads } = tf.tidy(() => {
      const r = lossAndGradients(this.model, batch, this.optimizer.step);
      return { loss: r.loss, grads: Object.fromEntries(r.grads) };
    });
    const out: WeightMap = new Map();
    for (const [n, g] of Object.entries(grads)) {
      out.set(n, { shape: [...g.shape], data: (await g.data()) as Float32Array });
    }
    const value = (await loss.data())[0];
    tf.dispose([loss, ...Object.values(grads)]);
    return { loss: value, grads: out };
  }

  async logits(batch: Batch): Promise<NamedArray> {
    this.assertAlive();
    checkBatch(batch, this.config);
    const logits = tf.tidy(() => {
      const idx = tf.tensor2d(batch.x, [batch.batchSize, batch.blockSize], 'int32'); // (B, T)
      return this.model.forward(idx, undefined, { training: false }).logits; // (B, T, V)
    });
    const data = (await logits.data()) as Float32Array; // async: WebGPU warns on dataSync
    const shape = [...logits.shape];
    logits.dispose();
    return { shape, data };
  }

  memory(): EngineMemory {
    const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };
    return {
      numTensors: m.numTensors,
      numBytes: m.numBytes,
      numBytesInGPU: m.numBytesInGPU,
      numBytesAllocatedInGPU: m.numBytesAllocatedInGPU,
    };
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
  protected async lastLogits(context: Int32Array): Promise<Float32Array> {
    const ctx = cropContext(context, this.config.blockSize, 'generate');
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

  async attention(context: Int32Array): Promise<AttentionMaps> {
    this.assertAlive();
    const ctx = cropContext(context, this.config.blockSize, 'attention').slice(); // owned: returned as tokens
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

  protected assertAlive(): void {
    if (this.disposed) throw new Error('Engine: used after dispose()');
  }
}

/** Create the TensorFlow.js engine on the active backend (an EngineFactory). */
export function createTfjsEngine(cfg: GPTConfig, opts: EngineOptions = {}): TfjsEngine {
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
