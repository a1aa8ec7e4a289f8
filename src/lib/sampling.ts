/**
 * Sampling the next token from logits: temperature → softmax → top-k → top-p (nucleus) → draw.
 * Rules (deterministic, documented):
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
  const ranking = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b); // (n)
  let kept = ranking.slice(0, options.topK ?? n); // (m)
  if (options.topP !== undefined) {
    const mass = kept.reduce((s, i) => s + probs[i], 0);
    let cum = 0;
    let count = 0;
    for (const i of kept) {
      cum += probs[i] / mass;
      count++;
      if (cum >= options.topP) break;
    }
    kept = kept.slice(0, count);
  }
  const keptMass = kept.reduce((s, i) => s + probs[i], 0);
  const keep = new Set(kept);
  const filteredProbs = probs.map((p, i) => (keep.has(i) ? p / keptMass : 0)); // (n)
  const uniform = options.uniform ?? (options.rng ? options.rng.next() : null);
  let sample: number | null = null;
  if (uniform !== null) {
    let cum = 0;
    for (let i = 0; i < n; i++) {
      if (filteredProbs[i] === 0) continue;
      cum += filteredProbs[i];
      sample = i;
      if (uniform < cum) break;
    }
  }
  return { scaled, probs, ranking, kept, filteredProbs, uniform, sample };
}
