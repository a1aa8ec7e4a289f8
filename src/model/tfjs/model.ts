/**
 * The notes' character-level GPT (nanoGPT-style, post-LN) written with raw TensorFlow.js core ops.
 *
 * Parameters live in a Map keyed by the PyTorch names of the notes' modules (`blocks.0.sa.heads.1.key.weight`,
 * ...), with PyTorch's layouts (Linear weights are (out, in)), so weights move between the two one-to-one.
 * The heads of a block are computed together: their key/query/value weights are concatenated into one
 * (3C, C) matrix inside the forward pass. Three tfjs 4.22 traps are avoided on purpose:
 *  - the embedding is a one-hot matmul, not tf.gather: gather's gradient is UnsortedSegmentSum, which WebGPU
 *    emulates with a compare-exchange loop on atomics and the wasm backend does not implement;
 *  - dropout uses a device-side hash mask (kernels/dropout.ts), not tf.dropout, whose mask is drawn on the CPU;
 *  - the causal mask is an additive (T, T) constant built once, not tf.linalg.bandPart, which unstacks the
 *    batch and masks one matrix at a time.
 */
import * as tf from './tf';
import { assertValidConfig, type GPTConfig } from '../config';
import { initialWeights, LAYER_NORM_EPS, MASK_VALUE, parameterSpecs } from '../params';
import { getKernels, type DropoutKey } from './kernels';

/** Options of one forward pass. */
export interface ForwardOptions {
  /** Apply dropout (training mode); false is PyTorch's model.eval(). */
  training?: boolean;
  /** Optimiser step, part of the dropout key so every step draws fresh masks. */
  step?: number;
  /** Also return each layer's attention weights (B, nh, T, T), after softmax and before dropout. */
  returnAttention?: boolean;
}

/** What a forward pass returns; every tensor belongs to the caller's tf.tidy. */
export interface ForwardResult {
  /** (B, T, V) unnormalised next-token scores. */
  logits: tf.Tensor3D;
  /** Mean cross-entropy over the B·T positions, when targets were given. */
  loss?: tf.Scalar;
  /** One (B, nh, T, T) tensor per layer, when returnAttention was set. */
  attention?: tf.Tensor4D[];
}

let instances = 0;

/** The GPT: tf.variables keyed by PyTorch names, a forward pass, and a constant causal mask. */
export class GPT {
  readonly config: GPTConfig;
  /** Trainable parameters keyed by the notes' PyTorch names, in named_parameters() order. */
  readonly params: Map<string, tf.Variable>;
  /** (blockSize, blockSize) additive causal mask: 0 on and below the diagonal, MASK_VALUE above. */
  private readonly causalMask: tf.Tensor2D;
  private readonly prefix: string;

  /** Build the model with the notes' initialisation (or the given weights, keyed by PyTorch name). */
  constructor(cfg: GPTConfig, weights: Map<string, Float32Array> = initialWeights(cfg)) {
    assertValidConfig(cfg);
    this.config = { ...cfg };
    this.prefix = `gpt${instances++}`;
    this.params = new Map();
    for (const spec of parameterSpecs(cfg)) {
      const data = weights.get(spec.name);
      if (!data) throw new Error(`GPT: no initial value for parameter ${spec.name}`);
      checkSize(spec.name, spec.shape, data);
      const name = `${this.prefix}/${spec.name}`;
      // tf.variable shares the initial tensor's data and bumps its refcount: tidy disposes our handle.
      this.params.set(
        spec.name,
        tf.tidy(() => tf.variable(tf.tensor(data, spec.shape, 'float32'), true, name)),
      );
    }
    const T = cfg.blockSize;
    const mask = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = MASK_VALUE;
    this.causalMask = tf.keep(tf.tensor2d(mask, [T, T])); // (T, T)
  }

  /** Number of trainable scalars. */
  get numParams(): number {
    let n = 0;
    for (const p of this.params.values()) n += p.size;
    return n;
  }

  /** A parameter by PyTorch name (throws if the name is unknown). */
  param(name: string): tf.Variable {
    const p = this.params.get(name);
    if (!p) throw new Error(`GPT: unknown parameter ${name}`);
    return p;
  }

  /** Overwrite parameters from Float32Arrays keyed by PyTorch name; every name must exist with a matching size. */
  setWeights(weights: Map<string, Float32Array>): void {
    for (const [name, data] of weights) {
      const p = this.param(name);
      checkSize(name, p.shape, data);
      tf.tidy(() => p.assign(tf.tensor(data, p.shape, 'float32')));
    }
  }

  /** idx (B, T) int32 → logits (B, T, V) and, with targets (B, T), the mean cross-entropy. Call inside tf.tidy. */
  forward(idx: tf.Tensor2D, targets?: tf.Tensor2D, opts: ForwardOptions = {}): ForwardResult {
    const { vocabSize: V, blockSize, nEmbd: C, nLayer: L } = this.config;
    const [B, T] = idx.shape;
    if (T > blockSize)
      throw new RangeError(`GPT.forward: T = ${T} exceeds blockSize ${blockSize}; crop the context`);
    const training = opts.training === true && this.config.dropout > 0;
    const step = opts.step ?? 0;
    const attention: tf.Tensor4D[] = [];

    const oneHot = tf.oneHot(tf.reshape(idx, [B * T]), V, 1, 0, 'float32'); // (B*T, V)
    const table = this.param('token_embedding_table.weight') as tf.Tensor2D; // (V, C)
    const tokEmb = getKernels().matMul(oneHot as tf.Tensor2D, table); // (B*T, V) @ (V, C) -> (B*T, C)
    const posEmb = tf.slice(this.param('position_embedding_table.weight'), [0, 0], [T, C]); // (T, C)
    let x = tf.add(tf.reshape(tokEmb, [B, T, C]), posEmb) as tf.Tensor3D; // (B, T, C)
    for (let i = 0; i < L; i++) {
      const drop = (t: tf.Tensor, site: number): tf.Tensor =>
        training ? this.dropout(t, step, i * 4 + site) : t;
      const sa = this.selfAttention(x, i, drop, opts.returnAttention ? attention : null); // (B, T, C)
      x = this.layerNorm(tf.add(x, sa), `blocks.${i}.ln1`) as tf.Tensor3D; // (B, T, C)
      const ff = this.feedForward(x, i, drop); // (B, T, C)
      x = this.layerNorm(tf.add(x, ff), `blocks.${i}.ln2`) as tf.Tensor3D; // (B, T, C)
    }
    x = this.layerNorm(x, 'ln_f') as tf.Tensor3D; // (B, T, C)
    const logits = this.linear(x, 'lm_head') as tf.Tensor3D; // (B, T, V)

    const result: ForwardResult = { logits };
    if (targets) {
      const labels = tf.oneHot(tf.reshape(targets, [B * T]), V, 1, 0, 'float32'); // (B*T, V)
      const flat = tf.reshape(logits, [B * T, V]); // (B*T, V)
      result.loss = tf.losses.softmaxCrossEntropy(labels, flat, undefined, 0, tf.Reduction.MEAN) as tf.Scalar; // ()
    }
    if (opts.returnAttention) result.attention = attention;
    return result;
  }

  /** The notes' MultiHeadAttention with all heads in one batched computation. x (B, T, C) → (B, T, C). */
  private selfAttention(
    x: tf.Tensor3D,
    layer: number,
    drop: (t: tf.Tensor, site: number) => tf.Tensor,
    capture: tf.Tensor4D[] | null,
  ): tf.Tensor {
    const { nEmbd: C, nHead: H } = this.config;
    const [B, T] = x.shape;
    const hs = C / H;
    const b = `blocks.${layer}.sa`;
    const perKind = (kind: string): tf.Tensor[] =>
      Array.from({ length: H }, (_, h) => this.param(`${b}.heads.${h}.${kind}.weight`)); // H × (hs, C)
    const wQkv = tf.concat([...perKind('query'), ...perKind('key'), ...perKind('value')], 0); // (3C, C)
    const qkv = getKernels().linear(tf.reshape(x, [B * T, C]), wQkv as tf.Tensor2D, undefined, 'linear'); // (B*T, 3C)
    // One 4-D transpose (contiguous head-size runs) and a split along the head axis, not a 5-D transpose:
    // tfjs-backend-wasm's general transpose took 290 ms for small's (B, T, 3, H, hs); this takes ~2 ms.
    const heads = tf.transpose(tf.reshape(qkv, [B, T, 3 * H, hs]), [0, 2, 1, 3]); // (B, 3H, T, hs)
    const [q, k, v] = tf.split(heads, 3, 1) as tf.Tensor4D[]; // 3 × (B, H, T, hs)
    const scores = tf.matMul(q, k, false, true); // (B, H, T, hs) @ (B, H, hs, T) -> (B, H, T, T)
    const mask = tf.slice(this.causalMask, [0, 0], [T, T]); // (T, T)
    // softmax(scores / √hs + mask): one fused kernel where the backend has one (kernels/).
    const weights = getKernels().causalSoftmax(scores as tf.Tensor4D, hs ** -0.5, mask); // (B, H, T, T) rows sum to 1
    if (capture) capture.push(weights);
    const dropped = drop(weights, 0); // (B, H, T, T)
    const out = tf.matMul(dropped, v); // (B, H, T, T) @ (B, H, T, hs) -> (B, H, T, hs)
    const merged = tf.reshape(tf.transpose(out, [0, 2, 1, 3]), [B, T, C]); // (B, T, H*hs) = torch.cat(heads, -1)
    return drop(this.linear(merged, `${b}.proj`), 1); // (B, T, C)
  }

  /** The notes' FeedFoward: Linear(C, 4C) → ReLU → Linear(4C, C) → Dropout. x (B, T, C) → (B, T, C). */
  private feedForward(
    x: tf.Tensor3D,
    layer: number,
    drop: (t: tf.Tensor, site: number) => tf.Tensor,
  ): tf.Tensor {
    const hidden = this.linear(x, `blocks.${layer}.ffwd.net.0`, 'relu'); // (B, T, 4C)
    return drop(this.linear(hidden, `blocks.${layer}.ffwd.net.2`), 2); // (B, T, C)
  }

  /** nn.Linear with PyTorch's (out, in) weight: x (..., in) → x Wᵀ + b (..., out), bias and ReLU fused. */
  private linear(x: tf.Tensor, name: string, activation: 'linear' | 'relu' = 'linear'): tf.Tensor {
    const w = this.param(`${name}.weight`) as tf.Tensor2D; // (out, in)
    const [outDim, inDim] = w.shape;
    const lead = x.shape.slice(0, -1);
    const x2 = tf.reshape(x, [-1, inDim]) as tf.Tensor2D; // (N, in)
    const bias = this.params.get(`${name}.bias`) as tf.Tensor1D | undefined; // (out) or none
    const y = getKernels().linear(x2, w, bias, activation); // (N, in) @ (in, out) + b -> (N, out)
    return tf.reshape(y, [...lead, outDim]); // (..., out)
  }

  /** nn.LayerNorm over the last axis (biased variance, eps 1e-5). x (..., C) → (..., C). */
  private layerNorm(x: tf.Tensor, name: string): tf.Tensor {
    const gamma = this.param(`${name}.weight`); // (C)
    const beta = this.param(`${name}.bias`); // (C)
    return getKernels().layerNorm(x, gamma, beta, LAYER_NORM_EPS); // (..., C), fused where registered
  }

  /** Inverted dropout through the kernel registry, keyed by (seed, step, site). */
  private dropout(t: tf.Tensor, step: number, salt: number): tf.Tensor {
    const key: DropoutKey = { seed: this.config.seed, step, salt };
    return getKernels().dropout(t, this.config.dropout, key); // same shape as t
  }

  /** Free every variable and the mask. */
  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.params.clear();
    this.causalMask.dispose();
  }
}

/** Throw unless data has exactly as many elements as the shape. */
function checkSize(name: string, shape: number[], data: ArrayLike<number>): void {
  const n = shape.reduce((a, b) => a * b, 1);
  if (data.length !== n) {
    throw new RangeError(`${name}: expected ${n} values for shape [${shape.join(', ')}], got ${data.length}`);
  }
}
