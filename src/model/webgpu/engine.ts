/**
 * WebGPUEngine: the notes' GPT trained directly on WebGPU, no TensorFlow.js inside. All buffers (flat
 * parameters, gradients and AdamW moments; every activation the backward needs; scratch gradients) are
 * allocated once from the config (./plan.ts; activations for a row slice of the batch when a whole batch's
 * would pass the binding limit, ./slices.ts); a training step is one command encoder, one compute pass of
 * fixed dispatches (./graph.ts) and one queue.submit, with the loss copied to a staging buffer and read
 * back by mapAsync. `submitStep` returns once the step is submitted, so the training loop encodes step
 * n + 1 while the GPU runs step n and reads step n's loss a step later. The AdamW kernel itself skips the
 * update when the loss is NaN or infinite, so a bad batch never reaches the weights whatever the CPU does.
 */
import { assertValidConfig, type GPTConfig } from '../config';
import {
  ADAMW_DEFAULTS,
  checkBatch,
  checkOptimizerState,
  checkWeights,
  STEPS_IN_FLIGHT,
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
import { initialWeights } from '../params';
import { cropContext, LogitsDecoder } from '../decode';
import { hashKeys } from './hash';
import { attentionWeightsGraph, forwardGraph, siteIndex, withRole, type GraphContext } from './graph';
import { batchGraph, tokenRows } from './slices';
import { adamwScalars } from '../adamw-scalars';
import { now } from '../clock';
import { planDecode } from './kv-cache';
import {
  bufferPlan,
  checkPlan,
  paramLayout,
  rowSlices,
  type FloatRange,
  type ParamLayout,
  type PlanLimits,
} from './plan';
import { optionalFeatures, type KernelFeatures } from './kernels';
import { TimestampProfiler, type GpuProfile } from './profile';
import { Runtime, type Program } from './runtime';

/** Options of createWebGPUEngine: the Engine options plus an optional device to share. */
export interface WebGPUEngineOptions extends EngineOptions {
  /** Use this device instead of requesting one (tests share one device between engines). */
  device?: GPUDevice;
  /**
   * Matmul variant: 'tiled' (workgroup-memory tiles, for GPUs) or 'direct' (no barriers, for software
   * GPUs). Default: 'direct' on SwiftShader, 'tiled' elsewhere.
   */
  matmul?: 'tiled' | 'direct';
  /** Reuse the rows of the previous context when decoding (default true; see ./kv-cache.ts). */
  kvCache?: boolean;
  /** Mixed precision: matmul inputs in f16 (f32 accumulation, f32 master weights) where `shader-f16` is. */
  f16?: boolean;
  /** Subgroup reductions where the device has `subgroups` (default true; false forces plain f32 loops). */
  subgroups?: boolean;
  /** Request `timestamp-query` (where the adapter has it) so `profileStep` can time each kernel (default false). */
  profile?: boolean;
}

/** The limits the plan is checked against: the device's, lowered by opts.limits where given. */
function planLimits(device: PlanLimits, lower: Partial<PlanLimits> = {}): PlanLimits {
  return {
    maxStorageBufferBindingSize: Math.min(
      device.maxStorageBufferBindingSize,
      lower.maxStorageBufferBindingSize ?? Infinity,
    ),
    maxBufferSize: Math.min(device.maxBufferSize, lower.maxBufferSize ?? Infinity),
  };
}

/** Request an adapter and device able to hold the config, or throw a message naming the limit. */
export async function requestEngineDevice(
  gpu: GPU,
  cfg: GPTConfig,
  lower: Partial<PlanLimits> = {},
  opts: { profile?: boolean } = {},
): Promise<{ device: GPUDevice; adapter: string }> {
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('WebGPU is present but no GPU adapter was found.');
  const { refusal } = checkPlan(cfg, planLimits(adapter.limits, lower));
  if (refusal) throw new RangeError(refusal);
  const device = await adapter.requestDevice({
    // subgroups, shader-f16 where the adapter has them; timestamp-query only when profiling is asked
    requiredFeatures: [
      ...optionalFeatures(adapter),
      ...(opts.profile && adapter.features.has('timestamp-query') ? (['timestamp-query'] as const) : []),
    ],
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const info = adapter.info;
  return {
    device,
    adapter: [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'unknown',
  };
}

/** Create the WebGPU engine on a device of `gpu` (navigator.gpu), or on opts.device. */
export async function createWebGPUEngine(
  gpu: GPU | null,
  cfg: GPTConfig,
  opts: WebGPUEngineOptions = {},
): Promise<WebGPUEngine> {
  assertValidConfig(cfg);
  let device = opts.device;
  let adapter = 'shared device';
  if (!device) {
    if (!gpu) throw new Error('WebGPU is not available in this browser (no navigator.gpu).');
    ({ device, adapter } = await requestEngineDevice(gpu, cfg, opts.limits, { profile: opts.profile }));
  } else {
    const { refusal } = checkPlan(cfg, planLimits(device.limits, opts.limits));
    if (refusal) throw new RangeError(refusal);
  }
  const engine = new WebGPUEngine(device, cfg, opts, adapter);
  engine.ownsDevice = !opts.device;
  return engine;
}

/** The Engine interface on hand-written WGSL kernels. */
export class WebGPUEngine extends LogitsDecoder implements Engine {
  readonly config: GPTConfig;
  readonly name = 'webgpu';
  readonly backend = 'webgpu';
  /** The adapter it runs on (vendor, architecture, description). */
  readonly adapter: string;
  readonly numParams: number;
  /** Bytes of every buffer this engine holds on the GPU. */
  get gpuBytes(): number {
    return this.rt.bytes;
  }
  /** Resolves when the device is lost (driver reset, GPU process crash, dispose). */
  readonly lost: Promise<GPUDeviceLostInfo>;
  /** Validation errors the device reported (empty when every kernel compiled and ran). */
  readonly errors: string[] = [];
  private readonly rt: Runtime;
  readonly layout: ParamLayout;
  private readonly bufs = new Map<string, GPUBuffer>();
  private readonly programs = new Map<string, Program>();
  private readonly options: AdamWOptions;
  /** Steps whose update landed (finite loss, read back). */
  private t = 0;
  /** Steps submitted whose update is assumed to land: t plus the steps in flight. */
  private submitted = 0;
  /** Set by profileStep for the one step it encodes with a timed pass per dispatch. */
  private profiler: TimestampProfiler | null = null;
  /** When the last step's loss came back (its successor's time starts there when pipelined). */
  private lastDone = 0;
  /** The staging slot the next step uses, and the read-back in flight on each slot. */
  private ring = 0;
  private readonly inFlight: (Promise<StepResult> | null)[] = Array(STEPS_IN_FLIGHT).fill(null);
  private disposed = false;
  /** AdamW's ranges of the flat buffers: more than one when they pass maxStorageBufferBindingSize. */
  readonly flatChunks: FloatRange[];
  /** Sequences per row slice: cfg.batchSize unless a batch's activations pass the binding limit. */
  readonly sliceB: number;
  /** Matmuls with workgroup-memory tiles (true) or direct reads (false). */
  readonly tiled: boolean;
  /** The optional features in use: subgroup reductions, f16 matmul inputs (mixed precision). */
  readonly features: KernelFeatures;
  /** Destroy the device on dispose (true when createWebGPUEngine requested it). */
  ownsDevice = false;

  constructor(
    readonly device: GPUDevice,
    cfg: GPTConfig,
    opts: WebGPUEngineOptions,
    adapter: string,
  ) {
    super();
    this.tiled = opts.matmul ? opts.matmul === 'tiled' : !/swiftshader/i.test(adapter);
    this.features = {
      subgroups: opts.subgroups !== false && device.features.has('subgroups'),
      f16: opts.f16 === true && device.features.has('shader-f16'),
    };
    this.config = { ...cfg };
    this.adapter = adapter;
    this.kvCache = opts.kvCache ?? true;
    this.rt = new Runtime(device);
    this.lost = device.lost;
    device.addEventListener('uncapturederror', (e) =>
      this.errors.push((e as GPUUncapturedErrorEvent).error.message),
    );
    this.layout = paramLayout(cfg);
    ({ flatChunks: this.flatChunks, sliceB: this.sliceB } = checkPlan(
      cfg,
      planLimits(device.limits, opts.limits),
    ));
    this.numParams = this.layout.slots.reduce((n, s) => n + s.size, 0);
    this.options = { ...ADAMW_DEFAULTS, lr: cfg.learningRate, weightDecay: cfg.weightDecay, ...opts.adamw };
    for (const spec of bufferPlan(cfg, this.layout, this.sliceB))
      this.bufs.set(spec.name, this.rt.storage(spec.floats, spec.name));
    const { vocabSize: V, blockSize: T, batchSize: B, nLayer: L } = cfg;
    const ints = (name: string, n: number): void => void this.bufs.set(name, this.rt.storage(n, name));
    ints('idx', B * T);
    ints('targets', B * T);
    ints('order', B * T);
    ints('start', rowSlices(B, this.sliceB).length * (V + 1)); // each slice's token-row offsets
    ints('keys', 6 * L);
    ints('lossBuf', 4);
    ints('evalBuf', 256);
    for (let i = 0; i < STEPS_IN_FLIGHT; i++)
      this.bufs.set(`staging${i}`, this.rt.staging(16, `loss staging ${i}`));
    const init = opts.weights
      ? new Map([...opts.weights].map(([n, w]) => [n, w]))
      : new Map(
          [...initialWeights(cfg)].map(([n, d]) => [n, { shape: this.layout.byName.get(n)!.shape, data: d }]),
        );
    this.setWeights(init, true);
  }

  get stepCount(): number {
    return this.t;
  }

  /** A buffer of the plan by name. */
  buffer(name: string): GPUBuffer {
    const b = this.bufs.get(name);
    if (!b) throw new Error(`WebGPUEngine: no buffer ${name}`);
    return b;
  }

  /**
   * The program for a mode and (B, T), built (pipelines, bind groups, uniforms) on first use. A training
   * step, gradients or loss cover the batch in row slices of sliceB sequences (one slice when it fits);
   * logits cover B ≤ sliceB sequences from sequence b0 of the uploaded batch.
   */
  private program(
    mode: 'train' | 'grads' | 'eval' | 'logits' | 'attention' | 'decode',
    B: number,
    T: number,
    b0 = 0,
  ): Program {
    const key = `${mode}:${B}:${T}:${b0}`;
    const hit = this.programs.get(key);
    if (hit) return hit;
    const g: GraphContext = {
      cfg: this.config,
      layout: this.layout,
      buf: { get: (n) => this.buffer(n) },
      B,
      T,
      training: mode === 'train' || mode === 'grads',
      tiled: this.tiled,
      flatChunks: this.flatChunks,
      features: this.features,
    };
    if (mode === 'train' || mode === 'grads' || mode === 'eval') {
      const p = this.rt.program(batchGraph(g, mode, rowSlices(B, this.sliceB)), key);
      this.programs.set(key, p);
      return p;
    }
    if (mode === 'decode') g.decodeRow = T; // (1, T): the token at row T, the rows before it cached
    if (b0 > 0) g.slice = { b0, index: 0, batchB: b0 + B }; // ids from row b0·T of idx
    const d = withRole('forward', forwardGraph(g));
    if (mode === 'attention') {
      if (!this.bufs.has('attW')) {
        const { nLayer: L, nHead: H, blockSize: Tm } = this.config;
        this.bufs.set('attW', this.rt.storage(L * H * Tm * Tm, 'attW'));
      }
      d.push(...attentionWeightsGraph(g));
    }
    const p = this.rt.program(d, key);
    this.programs.set(key, p);
    return p;
  }

  /** Write a batch's ids (and, for the embedding backward, each token's positions) to the device. */
  private upload(batch: Batch): void {
    const q = this.device.queue;
    q.writeBuffer(this.buffer('idx'), 0, batch.x);
    q.writeBuffer(this.buffer('targets'), 0, batch.y);
    const { order, start } = tokenRows(batch.x, this.config.vocabSize, this.sliceB * batch.blockSize);
    q.writeBuffer(this.buffer('order'), 0, order);
    q.writeBuffer(this.buffer('start'), 0, start);
  }

  /** Submit one program, then copy `bytes` from a buffer to a fresh read-back and return it. */
  private async run(
    p: Program | null,
    from: GPUBuffer,
    offsetBytes: number,
    bytes: number,
  ): Promise<Float32Array> {
    const enc = this.device.createCommandEncoder();
    if (p) {
      const pass = enc.beginComputePass();
      p.encode(pass);
      pass.end();
    }
    const read = this.device.createBuffer({
      size: Math.ceil(bytes / 16) * 16,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    enc.copyBufferToBuffer(from, offsetBytes, read, 0, bytes);
    this.device.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(read.getMappedRange(0, bytes).slice(0));
    read.destroy();
    return out;
  }

  /** The dropout keys of every site for an optimiser step (the tfjs engine's (seed, step, layer·4 + slot)). */
  private writeKeys(step: number): void {
    const { seed, nLayer: L } = this.config;
    const keys = new Int32Array(6 * L);
    for (let l = 0; l < L; l++) {
      for (let s = 0; s < 3; s++) {
        const [k1, k2] = hashKeys(seed, step, l * 4 + s);
        keys[2 * siteIndex(l, s)] = k1;
        keys[2 * siteIndex(l, s) + 1] = k2;
      }
    }
    this.device.queue.writeBuffer(this.buffer('keys'), 0, keys);
  }

  async step(batch: Batch, opts: { learningRate?: number } = {}): Promise<StepResult> {
    return this.submitStep(batch, opts);
  }

  /**
   * Encode and submit one training step, then resolve with its loss. Everything up to queue.submit runs
   * before this returns, so a host can submit step n + 1 while the GPU runs step n (STEPS_IN_FLIGHT: one
   * staging buffer each). The step's number (AdamW bias correction, dropout keys) assumes every step in
   * flight before it lands; the AdamW kernel skips a step whose loss is not finite on the GPU.
   */
  submitStep(batch: Batch, opts: { learningRate?: number } = {}): Promise<StepResult> {
    this.assertAlive();
    this.cachedContext = null;
    this.checkFits(batch);
    const slot = this.ring;
    if (this.inFlight[slot]) {
      throw new Error(`WebGPUEngine: at most ${STEPS_IN_FLIGHT} steps in flight; await one before the next`);
    }
    const t0 = now();
    const { batchSize: B, blockSize: T } = batch;
    const p = this.program('train', B, T);
    this.upload(batch);
    this.writeKeys(this.submitted);
    const lr = opts.learningRate ?? this.options.lr;
    const step = this.submitted + 1;
    const scalars = adamwScalars(this.options, lr, step); // the kernel's uniforms, by name
    // The program ends with AdamW, one dispatch per chunk of the flat buffers.
    for (let i = p.dispatches.length - this.flatChunks.length; i < p.dispatches.length; i++)
      p.setUniforms(i, scalars);
    // One encoder, one pass, one submit; the loss goes to this step's staging buffer of the ring.
    const staging = this.buffer(`staging${slot}`);
    this.ring = (slot + 1) % STEPS_IN_FLIGHT;
    const enc = this.device.createCommandEncoder();
    if (this.profiler)
      this.profiler.encode(enc); // one timed pass per dispatch (profileStep only)
    else {
      const pass = enc.beginComputePass();
      p.encode(pass);
      pass.end();
    }
    enc.copyBufferToBuffer(this.buffer('lossBuf'), 0, staging, 0, 16);
    this.device.queue.submit([enc.finish()]);
    this.submitted = step;
    const result = this.readLoss(staging, t0);
    this.inFlight[slot] = result;
    return result.finally(() => (this.inFlight[slot] = null));
  }

  /**
   * Train one step with each dispatch in its own compute pass timed by timestamp queries (a device created
   * with `profile: true` where the adapter has `timestamp-query`): GPU ms per kernel key and role. The
   * separate passes add their own overhead, so time steps with `step`, not this.
   */
  async profileStep(
    batch: Batch,
    opts: { learningRate?: number } = {},
  ): Promise<{ result: StepResult; profile: GpuProfile }> {
    this.assertAlive();
    await this.stepsLanded();
    const profiler = new TimestampProfiler(
      this.device,
      this.program('train', batch.batchSize, batch.blockSize),
    );
    this.profiler = profiler;
    let pending: Promise<StepResult>;
    try {
      pending = this.submitStep(batch, opts);
    } catch (err) {
      profiler.dispose();
      throw err;
    } finally {
      this.profiler = null;
    }
    const [result, profile] = await Promise.all([pending, profiler.read()]);
    return { result, profile };
  }

  /** Resolve once every submitted step's loss is read back (errors are the step's caller's to see). */
  private async stepsLanded(): Promise<void> {
    await Promise.allSettled(this.inFlight.filter((p) => p !== null));
  }

  /** Map a step's staging buffer once the GPU is done with it and account for the step. */
  private async readLoss(staging: GPUBuffer, t0: number): Promise<StepResult> {
    let loss: number;
    try {
      await staging.mapAsync(GPUMapMode.READ);
      loss = new Float32Array(staging.getMappedRange(0, 16))[0];
      staging.unmap();
    } catch (err) {
      this.submitted--;
      throw err;
    }
    const finite = Number.isFinite(loss);
    if (finite) this.t++;
    else this.submitted--; // the AdamW kernel skipped the update: the next step reuses this step's number
    // Pipelined, a step's own time is from when the GPU could start it: its submit, or the previous step's end.
    const done = now();
    const ms = done - Math.max(t0, this.lastDone);
    this.lastDone = done;
    return { step: this.t, loss, finite, ms };
  }

  async estimateLoss(batches: Batch[]): Promise<number> {
    this.assertAlive();
    if (batches.length === 0) throw new RangeError('estimateLoss: need at least one batch');
    for (const b of batches) this.checkFits(b);
    if (batches.length > 256) throw new RangeError('estimateLoss: at most 256 batches per call');
    this.cachedContext = null;
    batches.forEach((b, k) => {
      const p = this.program('eval', b.batchSize, b.blockSize);
      this.upload(b);
      p.dispatches.forEach((d, i) => d.kernel.key.startsWith('mean') && p.setUniforms(i, { slot: k }));
      const enc = this.device.createCommandEncoder();
      const pass = enc.beginComputePass();
      p.encode(pass);
      pass.end();
      this.device.queue.submit([enc.finish()]);
    });
    const means = await this.run(null, this.buffer('evalBuf'), 0, 4 * batches.length);
    let sum = 0;
    for (const m of means) sum += m;
    return sum / means.length;
  }

  /** The context whose key/value rows (and every later-layer input) the B = 1 buffers hold, if any. */
  private cachedContext: Int32Array | null = null;
  /** Decode with the KV cache (false: every token runs its whole window, for tests and comparisons). */
  readonly kvCache: boolean;

  /**
   * Logits (V) of the last position after the cropped context. With the KV cache (./kv-cache.ts): while
   * the context fits the block and extends the cached one by a token, only that token's row runs (every
   * layer's rows before it are reused); otherwise the whole cropped window runs and, if it fits the block,
   * fills the cache. Past block_size every position shifts (learned absolute position embeddings), so each
   * token re-encodes the window.
   */
  protected async lastLogits(context: Int32Array): Promise<Float32Array> {
    const ctx = cropContext(context, this.config.blockSize, 'generate');
    const T = ctx.length;
    const V = this.config.vocabSize;
    const { plan, held } = planDecode(this.cachedContext, context, this.config.blockSize, this.kvCache);
    let p: Program;
    if (plan.kind === 'extend') {
      p = this.program('decode', 1, plan.row);
      this.device.queue.writeBuffer(this.buffer('idx'), 4 * plan.row, Int32Array.of(ctx[plan.row]));
    } else {
      p = this.program('logits', 1, T);
      this.device.queue.writeBuffer(this.buffer('idx'), 0, Int32Array.from(ctx));
    }
    this.cachedContext = held;
    return this.run(p, this.buffer('logits'), 4 * (T - 1) * V, 4 * V);
  }

  /** Logits (B, T, V) of a batch in eval mode (the parity check's entry point), a row slice at a time. */
  async logits(batch: Batch): Promise<NamedArray> {
    this.assertAlive();
    this.checkFits(batch);
    this.cachedContext = null;
    this.upload(batch);
    const { blockSize: T, batchSize: B } = batch;
    const V = this.config.vocabSize;
    const data = new Float32Array(B * T * V);
    for (const { b0, n } of rowSlices(B, this.sliceB)) {
      const p = this.program('logits', n, T, b0);
      data.set(await this.run(p, this.buffer('logits'), 0, 4 * n * T * V), b0 * T * V);
    }
    return { shape: [B, T, V], data };
  }

  /** Loss and gradients of a batch in training mode at the current step, without updating (parity check). */
  async lossAndGradients(batch: Batch): Promise<{ loss: number; grads: WeightMap }> {
    this.assertAlive();
    this.cachedContext = null;
    this.checkFits(batch);
    const p = this.program('grads', batch.batchSize, batch.blockSize);
    this.upload(batch);
    this.writeKeys(this.submitted);
    const flat = await this.run(p, this.buffer('grads'), 0, 4 * this.layout.total);
    const loss = (await this.run(null, this.buffer('lossBuf'), 0, 4))[0];
    return { loss, grads: this.unflatten(flat) };
  }

  async attention(context: Int32Array): Promise<AttentionMaps> {
    this.assertAlive();
    const ctx = cropContext(context, this.config.blockSize, 'attention').slice(); // owned: returned as tokens
    const T = ctx.length;
    const p = this.program('attention', 1, T);
    this.cachedContext = null;
    this.device.queue.writeBuffer(this.buffer('idx'), 0, ctx);
    const { nLayer: L, nHead: H } = this.config;
    const data = await this.run(p, this.buffer('attW'), 0, 4 * L * H * T * T);
    const weights = Array.from({ length: L }, (_, l) =>
      Array.from({ length: H }, (_, h) => data.slice((l * H + h) * T * T, (l * H + h + 1) * T * T)),
    );
    return { tokens: ctx, T, weights };
  }

  /** Split a flat buffer's contents into named arrays. */
  private unflatten(flat: Float32Array): WeightMap {
    const out: WeightMap = new Map();
    for (const s of this.layout.slots)
      out.set(s.name, { shape: [...s.shape], data: flat.slice(s.offset, s.offset + s.size) });
    return out;
  }

  async getWeights(): Promise<WeightMap> {
    this.assertAlive();
    return this.unflatten(await this.run(null, this.buffer('params'), 0, 4 * this.layout.total));
  }

  setWeights(weights: WeightMap, requireAll = false): void {
    this.assertAlive();
    this.cachedContext = null;
    checkWeights(weights, this.layout.slots, requireAll);
    for (const [name, w] of weights) {
      this.device.queue.writeBuffer(
        this.buffer('params'),
        4 * this.layout.byName.get(name)!.offset,
        Float32Array.from(w.data),
      );
    }
  }

  async getOptimizerState(): Promise<AdamWState> {
    this.assertAlive();
    await this.stepsLanded(); // the moments' step count must be the steps they hold
    const m = this.unflatten(await this.run(null, this.buffer('adamM'), 0, 4 * this.layout.total));
    const v = this.unflatten(await this.run(null, this.buffer('adamV'), 0, 4 * this.layout.total));
    return { step: this.t, m: Object.fromEntries(m), v: Object.fromEntries(v), options: { ...this.options } };
  }

  setOptimizerState(state: AdamWState): void {
    this.assertAlive();
    checkOptimizerState(state, this.layout.slots);
    const m = new Float32Array(this.layout.total);
    const v = new Float32Array(this.layout.total);
    for (const s of this.layout.slots) {
      m.set(state.m[s.name].data, s.offset);
      v.set(state.v[s.name].data, s.offset);
    }
    this.device.queue.writeBuffer(this.buffer('adamM'), 0, m);
    this.device.queue.writeBuffer(this.buffer('adamV'), 0, v);
    Object.assign(this.options, state.options);
    this.t = state.step;
    this.submitted = state.step;
  }

  memory(): EngineMemory {
    return {
      numTensors: this.rt.buffers.length,
      numBytes: this.rt.bytes,
      numBytesInGPU: this.rt.bytes,
      numBytesAllocatedInGPU: this.rt.bytes,
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rt.dispose();
    this.programs.clear();
    if (this.ownsDevice) this.device.destroy();
  }

  /** checkBatch, and at most batch_size sequences: the id buffers hold that many (row slices or not). */
  private checkFits(batch: Batch): void {
    checkBatch(batch, this.config);
    if (batch.batchSize > this.config.batchSize) {
      throw new RangeError(
        `batch: the WebGPU engine holds at most batch_size = ${this.config.batchSize} sequences, got B = ${batch.batchSize}`,
      );
    }
  }

  protected assertAlive(): void {
    if (this.disposed) throw new Error('Engine: used after dispose()');
  }
}
