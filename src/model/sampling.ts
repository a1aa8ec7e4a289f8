/**
 * Picking the next character from the model's logits on the CPU: temperature, top-k and top-p (nucleus)
 * filtering, then one draw from a seeded RNG, so a seed reproduces a sample exactly.
 */
import type { Rng } from '../lib/rng';

/** How to turn logits into one token. */
export interface SampleOptions {
  /** Divides the logits; < 1 sharpens, > 1 flattens, 0 means greedy (argmax). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (0 or absent: all). */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probability sums to at least p (1 or absent: all). */
  topP?: number;
}

/** Check sampling options; throws a RangeError naming the bad field. */
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
  const probs = new Float64Array(V);
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
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  const keep = new Uint8Array(V);
  let kept = 0;
  let mass = 0;
  for (const i of order) {
    if (topK > 0 && kept >= topK) break;
    if (kept > 0 && mass >= topP) break;
    keep[i] = 1;
    kept++;
    mass += probs[i];
  }
  let total = 0;
  for (let i = 0; i < V; i++) total += probs[i] = keep[i] ? probs[i] : 0;
  for (let i = 0; i < V; i++) probs[i] /= total;
  return probs;
}

/** Draw one token id from logits with temperature / top-k / top-p, using the given RNG. */
export function sampleToken(logits: ArrayLike<number>, rng: Rng, opts: SampleOptions = {}): number {
  const probs = samplingDistribution(logits, opts);
  const u = rng.next();
  let cum = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    last = i;
    cum += probs[i];
    if (u < cum) return i;
  }
  return last; // rounding left u above the final cumulative sum
}
