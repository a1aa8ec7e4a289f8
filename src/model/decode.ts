/**
 * What every engine's decoding shares: the generation loop (validate, sample one id per call with the seeded
 * sampler, stream and stop on request; the engine's lastLogits crops with cropContext) and the crop itself.
 */
import { createRng } from '../lib/rng';
import { sampleToken } from '../lib/sampling';
import type { GPTConfig } from './config';
import type { GenerateOptions } from './engine';

/** Sample maxNewTokens ids after the context, one `lastLogits` (V) call per new token. */
export async function sampleTokens(
  cfg: GPTConfig,
  context: Int32Array,
  maxNewTokens: number,
  opts: GenerateOptions,
  lastLogits: (context: Int32Array) => Promise<Float32Array>,
): Promise<Int32Array> {
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
    throw new RangeError(`generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
  }
  for (const id of context) {
    if (id < 0 || id >= cfg.vocabSize)
      throw new RangeError(`generate: token id ${id} outside the vocabulary`);
  }
  const rng = opts.rng ?? createRng(opts.seed ?? cfg.seed);
  const out = new Int32Array(context.length + maxNewTokens);
  out.set(context);
  let n = context.length;
  for (let i = 0; i < maxNewTokens; i++) {
    if (await opts.shouldStop?.()) break;
    const id = sampleToken(await lastLogits(out.subarray(0, n)), rng, opts);
    out[n++] = id;
    opts.onToken?.(id);
  }
  return out.slice(0, n);
}

/** The last block_size ids of a context (a view, not a copy), refusing an empty one: every engine's crop. */
export function cropContext(context: Int32Array, blockSize: number, what: string): Int32Array {
  if (context.length === 0) throw new RangeError(`${what}: the context must hold at least one token`);
  return context.subarray(Math.max(0, context.length - blockSize));
}

/** Softmax of logits (V) at temperature 1, computed stably. */
export function softmaxProbs(logits: Float32Array): Float32Array {
  let max = -Infinity;
  for (const l of logits) max = Math.max(max, l);
  const probs = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += probs[i] = Math.exp(logits[i] - max);
  for (let i = 0; i < probs.length; i++) probs[i] /= sum;
  return probs;
}

/**
 * What an engine gets from its last-position logits alone: `generate` and `nextTokenProbs`, written once
 * for every engine (each supplies `lastLogits` and `assertAlive`).
 */
export abstract class LogitsDecoder {
  abstract readonly config: GPTConfig;
  /** Throw if the engine was disposed or lost its device. */
  protected abstract assertAlive(): void;
  /** The logits after the last position of `context` (cropped to the block), (V). */
  protected abstract lastLogits(context: Int32Array): Promise<Float32Array>;

  /** Sample `maxNewTokens` tokens after `context` (temperature, top-k, top-p as src/lib/sampling.ts). */
  async generate(context: Int32Array, maxNewTokens: number, opts: GenerateOptions = {}): Promise<Int32Array> {
    this.assertAlive();
    return sampleTokens(this.config, context, maxNewTokens, opts, (c) => this.lastLogits(c));
  }

  /** The next token's probabilities after `context`, (V). */
  async nextTokenProbs(context: Int32Array): Promise<Float32Array> {
    this.assertAlive();
    return softmaxProbs(await this.lastLogits(context));
  }
}
