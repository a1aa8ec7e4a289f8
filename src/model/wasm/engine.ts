/**
 * WasmEngine: the notes' GPT trained on the CPU with no TensorFlow.js inside. A step is the reference
 * step of ../webgpu/reference.ts (the same forward and backward, in the same order and layouts, as the
 * WebGPU engine's kernels) with its matmuls, attention, LayerNorm and cross-entropy on the 128-bit SIMD
 * kernels of ./kernels.wasm and the embedding and bias sums on the TypeScript twins; AdamW updates each
 * parameter in place with the twins' update. One call into wasm per kernel, instead of tfjs's hundreds of
 * kernel calls with a gradient tape around each.
 */
import { adamwScalars } from '../adamw-scalars';
import { now } from '../clock';
import { assertValidConfig, type GPTConfig } from '../config';
import { cropContext, LogitsDecoder } from '../decode';
import {
  ADAMW_DEFAULTS,
  checkBatch,
  checkOptimizerState,
  checkWeights,
  type AdamWOptions,
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
import { initialWeights, parameterSpecs, type ParamSpec } from '../params';
import { referenceStep, type Params } from '../webgpu/reference';
import { adamwStep } from '../webgpu/twins';
import type { WasmKernels } from './kernels';

/** Create the WebAssembly engine on instantiated kernels (./kernels.ts instantiateKernels). */
export function createWasmEngine(kernels: WasmKernels, cfg: GPTConfig, opts: EngineOptions = {}): WasmEngine {
  assertValidConfig(cfg);
  return new WasmEngine(kernels, cfg, opts);
}

/** The Engine interface on the WebAssembly SIMD kernels and the CPU twins. */
export class WasmEngine extends LogitsDecoder implements Engine {
  readonly config: GPTConfig;
  readonly name = 'wasm';
  readonly backend = 'wasm';
  readonly numParams: number;
  /** Each parameter's PyTorch name and shape, in named_parameters() order. */
  private readonly specs: ParamSpec[];
  private readonly params: Params = new Map();
  private readonly m: Params = new Map();
  private readonly v: Params = new Map();
  private readonly options: AdamWOptions;
  private readonly trackGradNorm: boolean;
  private t = 0;
  private disposed = false;

  constructor(
    private readonly kernels: WasmKernels,
    cfg: GPTConfig,
    opts: EngineOptions = {},
  ) {
    super();
    this.config = { ...cfg };
    this.specs = parameterSpecs(cfg);
    this.options = { ...ADAMW_DEFAULTS, lr: cfg.learningRate, weightDecay: cfg.weightDecay, ...opts.adamw };
    this.trackGradNorm = opts.trackGradNorm ?? false;
    let n = 0;
    for (const { name, shape } of this.specs) {
      const size = shape.reduce((a, b) => a * b, 1);
      this.params.set(name, new Float32Array(size));
      this.m.set(name, new Float32Array(size));
      this.v.set(name, new Float32Array(size));
      n += size;
    }
    this.numParams = n;
    const init = opts.weights ?? this.named(initialWeights(cfg));
    this.setWeights(init, true);
  }

  get stepCount(): number {
    return this.t;
  }

  /** The reference step on this engine's kernels, at the current optimiser step's dropout keys. */
  private run(batch: Batch, mode: { training: boolean; targets: boolean; lossOnly?: boolean }) {
    return referenceStep(
      this.config,
      this.params,
      batch.x,
      mode.targets ? batch.y : null,
      batch.batchSize,
      batch.blockSize,
      { training: mode.training, step: this.t, kernels: this.kernels, lossOnly: mode.lossOnly },
    );
  }

  async step(batch: Batch, opts: { learningRate?: number } = {}): Promise<StepResult> {
    this.assertAlive();
    checkBatch(batch, this.config);
    const t0 = now();
    const { loss, grads } = this.run(batch, { training: true, targets: true });
    let gradNorm: number | undefined;
    if (this.trackGradNorm) {
      let sq = 0;
      for (const g of grads.values()) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
      gradNorm = Math.sqrt(sq);
    }
    const finite = Number.isFinite(loss) && (gradNorm === undefined || Number.isFinite(gradNorm));
    if (finite) {
      const scalars = adamwScalars(this.options, opts.learningRate ?? this.options.lr, this.t + 1);
      for (const [name, p] of this.params)
        adamwStep(p, grads.get(name)!, this.m.get(name)!, this.v.get(name)!, scalars);
      this.t++;
    }
    const result: StepResult = { step: this.t, loss, finite, ms: now() - t0 };
    if (gradNorm !== undefined) result.gradNorm = gradNorm;
    return result;
  }

  async lossAndGradients(batch: Batch): Promise<{ loss: number; grads: WeightMap }> {
    this.assertAlive();
    checkBatch(batch, this.config);
    const { loss, grads } = this.run(batch, { training: true, targets: true });
    return { loss, grads: this.named(grads) };
  }

  async logits(batch: Batch): Promise<NamedArray> {
    this.assertAlive();
    checkBatch(batch, this.config);
    const { logits } = this.run(batch, { training: false, targets: false });
    return { shape: [batch.batchSize, batch.blockSize, this.config.vocabSize], data: logits };
  }

  async estimateLoss(batches: Batch[]): Promise<number> {
    this.assertAlive();
    if (batches.length === 0) throw new RangeError('estimateLoss: need at least one batch');
    for (const b of batches) checkBatch(b, this.config);
    let sum = 0;
    for (const b of batches) sum += this.run(b, { training: false, targets: true, lossOnly: true }).loss;
    return sum / batches.length;
  }

  /** Logits (V) after the last position of the cropped context: the whole window runs (no KV cache). */
  protected async lastLogits(context: Int32Array): Promise<Float32Array> {
    const ctx = cropContext(context, this.config.blockSize, 'generate');
    const V = this.config.vocabSize;
    const { logits } = referenceStep(this.config, this.params, Int32Array.from(ctx), null, 1, ctx.length, {
      kernels: this.kernels,
    });
    return logits.slice((ctx.length - 1) * V);
  }

  async attention(context: Int32Array): Promise<AttentionMaps> {
    this.assertAlive();
    const ctx = cropContext(context, this.config.blockSize, 'attention').slice();
    const T = ctx.length;
    const { nHead: H } = this.config;
    const perLayer: Float32Array[] = []; // (1, H, T, T) each
    referenceStep(this.config, this.params, ctx, null, 1, T, {
      kernels: this.kernels,
      attentionWeights: perLayer,
    });
    const weights = perLayer.map((w) =>
      Array.from({ length: H }, (_, h) => w.slice(h * T * T, (h + 1) * T * T)),
    );
    return { tokens: ctx, T, weights };
  }

  /** Copies of named arrays with the parameters' shapes. */
  private named(arrays: Params): WeightMap {
    const out: WeightMap = new Map();
    for (const { name, shape } of this.specs)
      out.set(name, { shape: [...shape], data: arrays.get(name)!.slice() });
    return out;
  }

  async getWeights(): Promise<WeightMap> {
    this.assertAlive();
    return this.named(this.params);
  }

  setWeights(weights: WeightMap, requireAll = false): void {
    this.assertAlive();
    checkWeights(weights, this.specs, requireAll);
    for (const [name, w] of weights) this.params.get(name)!.set(w.data);
  }

  async getOptimizerState(): Promise<AdamWState> {
    this.assertAlive();
    const rec = (p: Params): Record<string, NamedArray> => Object.fromEntries(this.named(p));
    return { step: this.t, m: rec(this.m), v: rec(this.v), options: { ...this.options } };
  }

  setOptimizerState(state: AdamWState): void {
    this.assertAlive();
    checkOptimizerState(state, this.specs);
    for (const [name, m] of this.m) m.set(state.m[name].data);
    for (const [name, v] of this.v) v.set(state.v[name].data);
    Object.assign(this.options, state.options);
    this.t = state.step;
  }

  memory(): EngineMemory {
    return { numTensors: 3 * this.specs.length, numBytes: 12 * this.numParams + this.kernels.memoryBytes };
  }

  dispose(): void {
    this.disposed = true;
  }

  protected assertAlive(): void {
    if (this.disposed) throw new Error('Engine: used after dispose()');
  }
}
