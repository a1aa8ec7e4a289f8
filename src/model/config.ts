/**
 * The GPT's configuration: every hyperparameter of the notes' character-level GPT, named presets, validation,
 * and the parameter / FLOP arithmetic the chapter shows next to the training cell.
 */

/** Hyperparameters of the notes' nanoGPT-style post-LN character GPT and of its training loop. */
export interface GPTConfig {
  /** Number of distinct tokens (characters, plus one reserved "unknown" id); set from the corpus vocabulary. */
  vocabSize: number;
  /** Context length T: the most characters the model attends over (notes: block_size = 128). */
  blockSize: number;
  /** Embedding width C (notes: n_embd = 512); must be divisible by nHead. */
  nEmbd: number;
  /** Attention heads per block (notes: n_head = 8); each head has size nEmbd / nHead. */
  nHead: number;
  /** Transformer blocks (notes: n_layer = 8). */
  nLayer: number;
  /** Dropout probability in [0, 1) on attention weights, attention output and feed-forward output (notes: 0.14). */
  dropout: number;
  /** Sequences per optimisation step B (notes: batch_size = 64). */
  batchSize: number;
  /** AdamW learning rate (notes: 3e-6, far too small; the `notes` preset uses 3e-4, see notesLearningRate). */
  learningRate: number;
  /** Optimisation steps to run (notes: max_iters = 12000). */
  maxIters: number;
  /** Steps between two loss estimates (the notes reuse eval_iters = 100 for this). */
  evalInterval: number;
  /** Batches averaged per split in one loss estimate (notes: eval_iters = 100). */
  evalIters: number;
  /** AdamW decoupled weight decay (PyTorch's default 0.01, which the notes inherit). */
  weightDecay: number;
  /** Seed for weight init, batch sampling and dropout masks: same seed, same run. */
  seed: number;
}

/** The learning rate written in the notes: with Adam each step moves a weight by about lr, so 3e-6 crawls. */
export const notesLearningRate = 3e-6;

/** Why the notes' learning rate barely trains, for the chapter to show beside the preset. */
export const notesLearningRateExplanation =
  'The notes train with learning_rate = 3e-6. Adam normalises each gradient by its running scale, so every ' +
  'step moves a weight by roughly the learning rate whatever the gradient size: at most about 3e-6 per step, ' +
  'or 0.036 after all 12,000 steps, barely more than the 0.02 spread of the initial weights. The loss ' +
  'therefore stays near ln(vocab size) for thousands of steps. A rate of 3e-4 (the usual nanoGPT choice for ' +
  'a model this size) moves 100 times faster and reaches readable text within the same budget.';

/** Defaults shared by the presets: PyTorch's AdamW weight decay and a fixed seed. */
const base = {
  vocabSize: 96, // placeholder until the corpus is read: printable ASCII, newline, tab and "unknown"
  weightDecay: 0.01, // torch.optim.AdamW default, what the notes get by not passing one
  seed: 1337, // nanoGPT's habit; any integer works
} as const;

/** Named configurations: `tiny` for tests and quick demos, `small` for a laptop GPU, `notes` as written. */
export const presets = {
  /** Trains visibly in about a minute on a laptop CPU; ~1 step/s on SwiftShader WebGPU in e2e tests. */
  tiny: {
    ...base,
    blockSize: 32,
    nEmbd: 32,
    nHead: 2,
    nLayer: 2,
    dropout: 0,
    batchSize: 8,
    learningRate: 3e-3,
    maxIters: 2000,
    evalInterval: 100,
    evalIters: 10,
  },
  /** A few minutes on a laptop GPU: long enough to see words and punctuation emerge. */
  small: {
    ...base,
    blockSize: 64,
    nEmbd: 128,
    nHead: 4,
    nLayer: 4,
    dropout: 0.1,
    batchSize: 32,
    learningRate: 1e-3,
    maxIters: 5000,
    evalInterval: 250,
    evalIters: 20,
  },
  /** Exactly the notes' hyperparameters except the learning rate (3e-4 instead of notesLearningRate). */
  notes: {
    ...base,
    blockSize: 128,
    nEmbd: 512,
    nHead: 8,
    nLayer: 8,
    dropout: 0.14,
    batchSize: 64,
    learningRate: 3e-4,
    maxIters: 12000,
    evalInterval: 100,
    evalIters: 100,
  },
} as const satisfies Record<string, GPTConfig>;

/** The name of a preset. */
export type PresetName = keyof typeof presets;

/** A fresh copy of a preset with optional overrides (for example the corpus' vocabSize). */
export function makeConfig(preset: PresetName, overrides: Partial<GPTConfig> = {}): GPTConfig {
  return { ...presets[preset], ...overrides };
}

/** One problem found by validateConfig: which field and a sentence a reader can act on. */
export interface ConfigError {
  field: keyof GPTConfig;
  message: string;
}

/** Integer fields, their inclusive bounds, and what they mean (for the messages). */
const INTEGER_FIELDS: [keyof GPTConfig, number, number][] = [
  ['vocabSize', 2, 1 << 20],
  ['blockSize', 1, 8192],
  ['nEmbd', 1, 16384],
  ['nHead', 1, 1024],
  ['nLayer', 1, 256],
  ['batchSize', 1, 65536],
  ['maxIters', 0, 1e9],
  ['evalInterval', 1, 1e9],
  ['evalIters', 1, 1e6],
  ['seed', 0, 0xffffffff],
];

/** Check every field of a configuration; an empty list means it is usable. */
export function validateConfig(cfg: GPTConfig): ConfigError[] {
  const errors: ConfigError[] = [];
  const c = cfg as unknown as Record<string, unknown>;
  for (const [field, lo, hi] of INTEGER_FIELDS) {
    const x = c[field];
    if (typeof x !== 'number' || Number.isNaN(x)) {
      errors.push({ field, message: `${field} must be a number, got ${describe(x)}` });
    } else if (!Number.isInteger(x)) {
      errors.push({ field, message: `${field} must be a whole number, got ${x}` });
    } else if (x < lo || x > hi) {
      errors.push({ field, message: `${field} must be between ${lo} and ${hi}, got ${x}` });
    }
  }
  const real = (field: keyof GPTConfig, ok: (x: number) => boolean, range: string): void => {
    const x = c[field];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      errors.push({ field, message: `${field} must be a finite number, got ${describe(x)}` });
    } else if (!ok(x)) {
      errors.push({ field, message: `${field} must be ${range}, got ${x}` });
    }
  };
  real('dropout', (x) => x >= 0 && x < 1, 'in [0, 1)');
  real('learningRate', (x) => x > 0 && x <= 1, 'in (0, 1]');
  real('weightDecay', (x) => x >= 0 && x < 1, 'in [0, 1)');
  const okInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;
  if (okInt(cfg.nEmbd) && okInt(cfg.nHead) && cfg.nEmbd % cfg.nHead !== 0) {
    errors.push({
      field: 'nHead',
      message: `nEmbd (${cfg.nEmbd}) must be divisible by nHead (${cfg.nHead}) so every head has the same size`,
    });
  }
  return errors;
}

/** Throw one Error listing every problem when a configuration is unusable. */
export function assertValidConfig(cfg: GPTConfig): void {
  const errors = validateConfig(cfg);
  if (errors.length > 0) {
    throw new RangeError(`Invalid GPT config: ${errors.map((e) => e.message).join('; ')}`);
  }
}

/** Short description of a bad value for an error message. */
function describe(x: unknown): string {
  if (typeof x === 'number') return String(x);
  if (x === undefined) return 'nothing';
  return x === null ? 'null' : typeof x;
}

/** Number of trainable parameters, exactly as PyTorch counts the notes' GPTLanguageModel. */
export function estimateParams(cfg: GPTConfig): number {
  const { vocabSize: V, blockSize: T, nEmbd: C, nLayer: L } = cfg;
  const embeddings = V * C + T * C; // token_embedding_table + position_embedding_table
  const attention = 3 * C * C + (C * C + C); // key/query/value of all heads (no bias) + proj
  const feedForward = C * 4 * C + 4 * C + 4 * C * C + C; // net.0 + net.2
  const norms = 2 * (2 * C); // ln1 + ln2
  const head = 2 * C + (C * V + V); // ln_f + lm_head
  return embeddings + L * (attention + feedForward + norms) + head;
}

/** Matmul FLOPs of one forward pass and of a training step (forward + backward ≈ 3× forward). */
export interface FlopEstimate {
  /** Forward FLOPs (2 per multiply-add), matmuls only. */
  forward: number;
  /** Forward + backward: the backward pass costs about twice the forward. */
  perStep: number;
}

/**
 * Matmul FLOPs per training step: QKV, attention scores and weighted sum (the full T×T, as computed),
 * projection, feed-forward, lm_head, and the one-hot embedding matmul this engine uses instead of a gather.
 * Layer norms, softmax and element-wise ops are memory-bound and left out.
 */
export function estimateFlopsPerStep(cfg: GPTConfig): FlopEstimate {
  const { vocabSize: V, blockSize: T, nEmbd: C, nLayer: L, batchSize: B } = cfg;
  const N = B * T; // tokens per step
  const perLayer =
    2 * N * C * 3 * C + // q, k, v for all heads: (N, C) @ (C, 3C)
    2 * N * T * C + // scores q @ kᵀ over all heads: B·nh·T·T·hs MACs
    2 * N * T * C + // weights @ v
    2 * N * C * C + // proj
    2 * N * C * 4 * C * 2; // ffwd: C → 4C → C
  const embed = 2 * N * V * C; // one-hot (N, V) @ table (V, C)
  const lmHead = 2 * N * C * V;
  const forward = L * perLayer + embed + lmHead;
  return { forward, perStep: 3 * forward };
}
