/** Stages of a softmax: each intermediate array a view can show. */
export interface SoftmaxStages {
  /** Input logits divided by the temperature, (n). */
  scaled: number[];
  /** The maximum of `scaled`, subtracted for numerical stability. */
  max: number;
  /** exp(scaled - max), (n). */
  exps: number[];
  /** Σ exps. */
  sum: number;
  /** exps / sum: probabilities that sum to 1, (n). */
  weights: number[];
}

/** Softmax of logits (n) at a temperature > 0, with its stages; stable for large logits. */
export function softmax(logits: readonly number[], temperature = 1): SoftmaxStages {
  if (logits.length === 0) throw new RangeError('softmax: logits must be a non-empty array, got length 0');
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`softmax: temperature must be a finite number > 0, got ${temperature}`);
  }
  logits.forEach((x, i) => {
    if (Number.isNaN(x)) throw new RangeError(`softmax: logits[${i}] is NaN`);
  });
  const scaled = logits.map((x) => x / temperature); // (n)
  const max = Math.max(...scaled);
  // A row of -Infinity (everything masked) has no defined softmax: return uniform zeros.
  if (max === -Infinity) {
    return { scaled, max, exps: scaled.map(() => 0), sum: 0, weights: scaled.map(() => 0) };
  }
  const exps = scaled.map((x) => Math.exp(x - max)); // (n)
  const sum = exps.reduce((a, b) => a + b, 0);
  const weights = exps.map((e) => e / sum); // (n)
  return { scaled, max, exps, sum, weights };
}
