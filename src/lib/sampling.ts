/**
 * Sampling the next token from logits: temperature → softmax → top-k → top-p (nucleus) → draw.
 * One implementation for the lessons (`sampleFromLogits`, with every stage) and the capstone
 * (`samplingDistribution` / `sampleToken` on typed arrays). Rules (deterministic, documented):
 * - Ranking is by probability, ties broken by the lower index (a stable sort).
 * - top-k keeps exactly k tokens (the k highest; among equal values the lower indices).
 * - top-p keeps the smallest prefix of that ranking whose cumulative probability >= p (always >= 1 token);
 *   it is applied after top-k on the renormalised distribution.
 * - The draw is by inverse CDF over the filtered probabilities in index order: the first index whose
 *   cumulative probability exceeds u, for a uniform u in [0, 1) (given, or rng.next()).
 */
import type { Rng } from './rng';
import { softmax } from './softmax';
import { checkInt, checkRange, checkVector, fail } from './validate';

/** What top-k and top-p keep of a probability vector. */
export interface NucleusFilter {
  /** Token indices by descending probability (ties: lower index first), (n). */
  ranking: number[];
  /** Indices kept by top-k and then top-p, in ranking order, (m). */
  kept: number[];
  /** Renormalised probabilities with removed tokens at 0, (n). */
  filtered: Float64Array;
}

/** Keep the top-k tokens, then the top-p nucleus of the renormalised top-k distribution (chapter 9). */
export function filterTopKTopP(probs: ArrayLike<number>, topK?: number, topP?: number): NucleusFilter {
  const n = probs.length;
  const ranking = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b); // (n)
  let kept = ranking.slice(0, topK ?? n); // (m)
  if (topP !== undefined) {
    const mass = kept.reduce((s, i) => s + probs[i], 0); // the top-k mass: renormalise before top-p
    let cum = 0;
    let count = 0;
    for (const i of kept) {
      cum += probs[i] / mass;
      count++;
      if (cum >= topP) break;
    }
    kept = kept.slice(0, count);
  }
  const keptMass = kept.reduce((s, i) => s + probs[i], 0);
  const filtered = new Float64Array(n); // (n)
  for (const i of kept) filtered[i] = probs[i] / keptMass;
  return { ranking, kept, filtered };
}

/** Inverse-CDF draw: the first index (in index order) whose cumulative filtered probability exceeds u. */
export function drawIndex(filtered: ArrayLike<number>, u: number): number {
  let cum = 0;
  let last = 0;
  for (let i = 0; i < filtered.length; i++) {
    if (filtered[i] === 0) continue;
    last = i;
    cum += filtered[i];
    if (u < cum) return i;
  }
  return last; // rounding left u above the final cumulative sum
}

/** Sampling options. */
export interface SamplingOptions {
  /** > 0; default 1. */
  temperature?: number;
  /** Keep the k most likely tokens, 1 <= k <= n. */
  topK?: number;
  /** Nucleus threshold in (0, 1]. */
  topP?: number;
  /** A uniform draw in [0, 1) to use (takes precedence over rng). */
  uniform?: number;
  /** Source of the uniform draw. */
  rng?: Rng;
}

/** Sampling stages. */
export interface SamplingStages {
  /** logits / temperature, (n). */
  scaled: number[];
  /** softmax(scaled), (n). */
  probs: number[];
  /** Token indices by descending probability (ties: lower index first), (n). */
  ranking: number[];
  /** Indices kept by top-k and top-p, in ranking order, (m). */
  kept: number[];
  /** Renormalised probabilities with removed tokens at 0, (n). */
  filteredProbs: number[];
  /** The uniform number used, or null when none was given (then sample is null). */
  uniform: number | null;
  /** The sampled token index, or null without a uniform/rng. */
  sample: number | null;
}

/** Sample a token index from logits (n) with temperature, top-k, top-p and a uniform draw. */
export function sampleFromLogits(logits: readonly number[], options: SamplingOptions = {}): SamplingStages {
  const fn = 'sampleFromLogits';
  const n = checkVector(fn, 'logits', logits);
  const temperature = options.temperature ?? 1;
  checkRange(fn, 'temperature', temperature, 0, Infinity, { loOpen: true, hiOpen: true });
  if (options.topK !== undefined) checkInt(fn, 'topK', options.topK, 1, n);
  if (options.topP !== undefined) checkRange(fn, 'topP', options.topP, 0, 1, { loOpen: true });
  if (options.uniform !== undefined) checkRange(fn, 'uniform', options.uniform, 0, 1, { hiOpen: true });
  if (options.rng !== undefined && typeof options.rng.next !== 'function') fail(fn, 'rng must be an Rng');
  const { scaled, weights: probs } = softmax(logits, temperature); // (n)
  const { ranking, kept, filtered } = filterTopKTopP(probs, options.topK, options.topP);
  const uniform = options.uniform ?? (options.rng ? options.rng.next() : null);
  const sample = uniform === null ? null : drawIndex(filtered, uniform);
  return { scaled, probs, ranking, kept, filteredProbs: Array.from(filtered), uniform, sample };
}

/** The capstone's sampling settings (typed-array path). */
export interface SampleOptions {
  /** Divides the logits; < 1 sharpens, > 1 flattens, 0 means greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or absent: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability sums to at least p (1 or absent: all). */
  topP?: number;
}

/** Check the capstone's sampling options; throws a RangeError naming the bad field. */
export function checkSampleOptions(opts: SampleOptions): void {
  const { temperature = 1, topK = 0, topP = 1 } = opts;
  if (!Number.isFinite(temperature) || temperature < 0) {
    throw new RangeError(`sample: temperature must be a finite number >= 0, got ${temperature}`);
  }
  if (!Number.isInteger(topK) || topK < 0)
    throw new RangeError(`sample: topK must be an integer >= 0, got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new RangeError(`sample: topP must be in (0, 1], got ${topP}`);
}

/** The filtered, renormalised distribution that sampleToken draws from (length V, sums to 1). */
export function samplingDistribution(logits: ArrayLike<number>, opts: SampleOptions = {}): Float64Array {
  checkSampleOptions(opts);
  const { temperature = 1, topK = 0, topP = 1 } = opts;
  const V = logits.length;
  const probs = new Float64Array(V); // (V)
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    probs[best] = 1;
    return probs;
  }
  let max = -Infinity;
  for (let i = 0; i < V; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < V; i++) sum += probs[i] = Math.exp((logits[i] - max) / temperature);
  for (let i = 0; i < V; i++) probs[i] /= sum;
  return filterTopKTopP(probs, topK > 0 ? Math.min(topK, V) : undefined, topP < 1 ? topP : undefined)
    .filtered;
}

/** Draw one token id from logits with temperature / top-k / top-p, using the given RNG. */
export function sampleToken(logits: ArrayLike<number>, rng: Rng, opts: SampleOptions = {}): number {
  return drawIndex(samplingDistribution(logits, opts), rng.next());
}
