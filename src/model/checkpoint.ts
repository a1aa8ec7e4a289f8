/**
 * Checkpoints: everything needed to resume a run, as one plain object of typed arrays (structured-clone
 * friendly, so the UI can put it in IndexedDB or post it from a worker with its buffers transferred), and
 * the bridge to PyTorch: weights as .safetensors under the notes' parameter names.
 */
import { z } from 'zod';
import { validateConfig, type GPTConfig } from './config';
import { vocabFromChars, type Vocab } from './data';
import type { AdamWState, Engine, EngineFactory, EngineOptions, NamedArray, WeightMap } from './engine';
import { parameterSpecs } from './params';
import { decodeSafetensors, encodeSafetensors, SafetensorsError } from './safetensors';
import type { ConvergenceDetector, EvalEvent } from './train';

/** Identifies a checkpoint object. */
export const CHECKPOINT_FORMAT = 'attention-notebook/gpt-checkpoint';
/** Bumped whenever the shape of Checkpoint changes incompatibly. */
export const CHECKPOINT_VERSION = 1;

/** Loss curves so far: one point per training step and one per evaluation. */
export interface LossHistory {
  /** Training loss after each step: steps[i] is the step number of losses[i]. */
  steps: Int32Array;
  losses: Float32Array;
  /** The loss estimates. */
  evals: { step: number; train: number; val: number }[];
}

/** A resumable training state; every large field is a typed array. */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  config: GPTConfig;
  /** The vocabulary's characters (sorted) and whether an unknown id is reserved after them. */
  vocab: { chars: string[]; reserveUnknown: boolean } | null;
  /** Optimiser steps completed. */
  step: number;
  /** Parameters keyed by the notes' PyTorch names. */
  weights: Record<string, NamedArray>;
  optimizer: AdamWState;
  /** States of the seeded RNGs (for example the batch sampler's), so a resumed run draws the same batches. */
  rng: Record<string, number>;
  history: LossHistory;
  /** ConvergenceDetector state, when one is in use. */
  convergence: { bests: number[]; bestStep: number } | null;
}

/** A loss history that appends cheaply and exports to typed arrays. */
export class LossRecorder {
  private steps: number[] = [];
  private losses: number[] = [];
  private evals: EvalEvent[] = [];

  /** Record a training step's loss. */
  addStep(step: number, loss: number): void {
    this.steps.push(step);
    this.losses.push(loss);
  }

  /** Record a loss estimate. */
  addEval(e: { step: number; train: number; val: number }): void {
    this.evals.push({ type: 'eval', step: e.step, train: e.train, val: e.val });
  }

  /** The history as typed arrays (a copy). */
  toHistory(): LossHistory {
    return {
      steps: Int32Array.from(this.steps),
      losses: Float32Array.from(this.losses),
      evals: this.evals.map(({ step, train, val }) => ({ step, train, val })),
    };
  }

  /** Continue from a saved history. */
  static from(history: LossHistory): LossRecorder {
    const r = new LossRecorder();
    r.steps = Array.from(history.steps);
    r.losses = Array.from(history.losses);
    for (const e of history.evals) r.addEval(e);
    return r;
  }
}

/** What createCheckpoint records besides the engine's own state. */
export interface CheckpointExtras {
  vocab?: Vocab | null;
  rng?: Record<string, number>;
  history?: LossHistory;
  convergence?: ConvergenceDetector | null;
}

/** Snapshot an engine (weights and AdamW state, read back from the device) plus the loop's state. */
export async function createCheckpoint(engine: Engine, extras: CheckpointExtras = {}): Promise<Checkpoint> {
  const weights = await engine.getWeights();
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    config: { ...engine.config },
    vocab: extras.vocab
      ? { chars: [...extras.vocab.chars], reserveUnknown: extras.vocab.unknownId !== null }
      : null,
    step: engine.stepCount,
    weights: Object.fromEntries(weights),
    optimizer: await engine.getOptimizerState(),
    rng: { ...extras.rng },
    history: extras.history ?? { steps: new Int32Array(0), losses: new Float32Array(0), evals: [] },
    convergence: extras.convergence ? extras.convergence.getState() : null,
  };
}

/** The vocabulary as checkpoints and exported files store it. */
export const StoredVocabSchema = z.object({
  chars: z.array(z.string(), { error: 'chars must be a list of characters' }),
  reserveUnknown: z.boolean({ error: 'reserveUnknown must be true or false' }),
});

/** What identifies a checkpoint; checked first, and alone, so a foreign object gets one clear sentence. */
const CheckpointHeaderSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT, {
    error: (iss) => `not a GPT checkpoint (format ${JSON.stringify(iss.input)})`,
  }),
  version: z.literal(CHECKPOINT_VERSION, {
    error: (iss) =>
      `checkpoint version ${String(iss.input)} is not supported (this build reads version ${CHECKPOINT_VERSION})`,
  }),
  config: z.custom<GPTConfig>((v) => typeof v === 'object' && v !== null, {
    error: 'the checkpoint has no config',
  }),
});

/** The one sentence for any bad step. */
const stepError = 'step must be a non-negative integer';

/** A named Float32Array. */
const FloatArraySchema = z.object({ shape: z.array(z.number()), data: z.instanceof(Float32Array) });

/** The rest of a checkpoint, checked against the parameters its (valid) config implies. */
const CheckpointBodySchema = z
  .object({
    config: z.custom<GPTConfig>(),
    step: z.number({ error: stepError }).int({ error: stepError }).nonnegative({ error: stepError }),
    weights: z.record(z.string(), FloatArraySchema.optional()).optional(),
    optimizer: z
      .object({
        m: z.record(z.string(), z.unknown()).optional(),
        v: z.record(z.string(), z.unknown()).optional(),
      })
      .loose()
      .optional(),
    vocab: StoredVocabSchema.nullish(),
  })
  .loose()
  .superRefine((c, ctx) => {
    const issue = (message: string): void => ctx.addIssue({ code: 'custom', message });
    for (const spec of parameterSpecs(c.config)) {
      const n = spec.shape.reduce((a, b) => a * b, 1);
      const w = c.weights?.[spec.name];
      if (!w) issue(`weights: missing ${spec.name}`);
      else if (w.data.length !== n || w.shape.join() !== spec.shape.join()) {
        issue(`weights: ${spec.name} must be a Float32Array of shape [${spec.shape}]`);
      }
      for (const moment of ['m', 'v'] as const) {
        const mv = FloatArraySchema.safeParse(c.optimizer?.[moment]?.[spec.name]);
        if (!mv.success || mv.data.data.length !== n) {
          issue(`optimizer.${moment}: missing or wrong size for ${spec.name}`);
        }
      }
    }
    if (c.vocab && c.vocab.chars.length + (c.vocab.reserveUnknown ? 1 : 0) !== c.config.vocabSize) {
      issue(
        `vocab has ${c.vocab.chars.length} characters, which does not match vocabSize ${c.config.vocabSize}`,
      );
    }
  });

/** The messages of a failed parse: a field's own sentence, prefixed with its path where it has one. */
function issueMessages(error: z.ZodError): string[] {
  return error.issues.map((i) => {
    if (i.code === 'custom' || i.path.length === 0) return i.message;
    const path = i.path.join('.');
    return i.message.startsWith(path) ? i.message : `${path}: ${i.message}`;
  });
}

/** Every problem with an object that should be a Checkpoint (empty when it can be restored). */
export function validateCheckpoint(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['a checkpoint must be an object'];
  const header = CheckpointHeaderSchema.safeParse(value);
  if (!header.success) return issueMessages(header.error).slice(0, 1);
  const errors = validateConfig(header.data.config).map((e) => `config: ${e.message}`);
  if (errors.length) return errors;
  const body = CheckpointBodySchema.safeParse(value);
  return body.success ? [] : issueMessages(body.error);
}

/** Build an engine with a factory from a checkpoint (weights and optimiser state restored). */
export async function engineFromCheckpoint(
  ckpt: Checkpoint,
  createEngine: EngineFactory,
  opts: Omit<EngineOptions, 'weights'> = {},
): Promise<Engine> {
  const errors = validateCheckpoint(ckpt);
  if (errors.length) throw new RangeError(`Cannot restore checkpoint: ${errors.join('; ')}`);
  const engine = await createEngine(ckpt.config, { ...opts, weights: new Map(Object.entries(ckpt.weights)) });
  engine.setOptimizerState(ckpt.optimizer);
  return engine;
}

/** Restore the vocabulary stored in a checkpoint. */
export function checkpointVocab(ckpt: Checkpoint): Vocab | null {
  return ckpt.vocab ? vocabFromChars(ckpt.vocab.chars, { reserveUnknown: ckpt.vocab.reserveUnknown }) : null;
}

/** The ArrayBuffers of a checkpoint, to pass as postMessage's transfer list (the sender loses them). */
export function checkpointTransferables(ckpt: Checkpoint): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView): void => {
    if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  };
  for (const w of Object.values(ckpt.weights)) add(w.data);
  for (const w of Object.values(ckpt.optimizer.m)) add(w.data);
  for (const w of Object.values(ckpt.optimizer.v)) add(w.data);
  add(ckpt.history.steps);
  add(ckpt.history.losses);
  return [...buffers];
}

// ---------------------------------------------------------------------------------------- PyTorch

/** Options of exportSafetensors. */
export interface SafetensorsExportOptions {
  /**
   * Also write each head's `tril` buffer (ones on and below the diagonal), which PyTorch keeps in the
   * notes' state_dict, so `model.load_state_dict(load_file(path))` works with strict=True. Default true.
   */
  includeBuffers?: boolean;
  /** Extra string metadata. */
  metadata?: Record<string, string>;
}

/** Weights → .safetensors bytes under the notes' names, with the config in the metadata. */
export function exportSafetensors(
  weights: WeightMap | Record<string, NamedArray>,
  cfg: GPTConfig,
  opts: SafetensorsExportOptions = {},
): Uint8Array {
  const byName = weights instanceof Map ? weights : new Map(Object.entries(weights));
  const out = new Map<string, NamedArray>();
  const T = cfg.blockSize;
  const tril = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = 0; j <= i; j++) tril[i * T + j] = 1;
  for (const spec of parameterSpecs(cfg)) {
    const w = byName.get(spec.name);
    if (!w) throw new RangeError(`exportSafetensors: missing ${spec.name}`);
    out.set(spec.name, w);
    const head = /^(blocks\.\d+\.sa\.heads\.\d+)\.value\.weight$/.exec(spec.name);
    if (head && opts.includeBuffers !== false) out.set(`${head[1]}.tril`, { shape: [T, T], data: tril });
  }
  return encodeSafetensors(out, { format: 'pt', config: JSON.stringify(cfg), ...opts.metadata });
}

/** The architecture implied by the notes' parameter shapes (vocabSize, blockSize, nEmbd, nHead, nLayer). */
export function inferArchitecture(
  weights: Map<string, NamedArray>,
): Pick<GPTConfig, 'vocabSize' | 'blockSize' | 'nEmbd' | 'nHead' | 'nLayer'> {
  const tok = weights.get('token_embedding_table.weight');
  const pos = weights.get('position_embedding_table.weight');
  if (!tok || !pos || tok.shape.length !== 2 || pos.shape.length !== 2) {
    throw new SafetensorsError(
      'not a notes GPT: token_embedding_table.weight and position_embedding_table.weight (2-D) are required',
    );
  }
  let nLayer = 0;
  while (weights.has(`blocks.${nLayer}.ln1.weight`)) nLayer++;
  let nHead = 0;
  while (weights.has(`blocks.0.sa.heads.${nHead}.key.weight`)) nHead++;
  return { vocabSize: tok.shape[0], blockSize: pos.shape[0], nEmbd: tok.shape[1], nHead, nLayer };
}

/** What importSafetensors found. */
export interface SafetensorsImport {
  weights: WeightMap;
  /** The file's architecture merged into `base` (and into the config stored in its metadata, if any). */
  config: GPTConfig;
  metadata: Record<string, string>;
  /** Tensors that are not parameters (the `tril` buffers): skipped. */
  ignored: string[];
}

/** Parse .safetensors bytes into weights for the notes' GPT; every parameter must be present with its shape. */
export function importSafetensors(bytes: Uint8Array, base: GPTConfig): SafetensorsImport {
  const { tensors, metadata } = decodeSafetensors(bytes);
  let stored: Partial<GPTConfig> = {};
  if (metadata.config) {
    try {
      stored = JSON.parse(metadata.config) as Partial<GPTConfig>;
    } catch {
      throw new SafetensorsError('__metadata__.config is not valid JSON');
    }
  }
  const config: GPTConfig = { ...base, ...stored, ...inferArchitecture(tensors) };
  const problems = validateConfig(config).map((e) => e.message);
  if (problems.length)
    throw new SafetensorsError(`the file's architecture is not usable: ${problems.join('; ')}`);
  const weights: WeightMap = new Map();
  for (const spec of parameterSpecs(config)) {
    const t = tensors.get(spec.name);
    if (!t) throw new SafetensorsError(`missing parameter ${spec.name}`);
    if (t.shape.join() !== spec.shape.join()) {
      throw new SafetensorsError(`${spec.name} has shape [${t.shape}], expected [${spec.shape}]`);
    }
    weights.set(spec.name, t);
  }
  const ignored = [...tensors.keys()].filter((n) => !weights.has(n));
  const unexpected = ignored.filter((n) => !/^blocks\.\d+\.sa\.heads\.\d+\.tril$/.test(n));
  if (unexpected.length) {
    throw new SafetensorsError(`unexpected tensors for the notes' GPT: ${unexpected.slice(0, 5).join(', ')}`);
  }
  return { weights, config, metadata, ignored };
}
