/** Cross-entropy from logits with a stable log-sum-exp, and its gradient (torch.nn.functional.cross_entropy). */
import type { Matrix, Vector } from './matrix';
import { checkInt, checkMatrix, fail } from './validate';

/** Cross-entropy stages. */
export interface CrossEntropyStages {
  /** max over each row, (N). */
  max: Vector;
  /** log Σ exp(logits) per row, computed as max + log Σ exp(x − max), (N). */
  logSumExp: Vector;
  /** logits − logSumExp, (N, C). */
  logProbs: Matrix;
  /** exp(logProbs), (N, C). */
  probs: Matrix;
  /** −logProbs[i][target[i]], (N). */
  losses: Vector;
  /** Mean (default) or sum of losses. */
  loss: number;
  /** ∂loss/∂logits = (probs − onehot(target)) / N for 'mean', (N, C). */
  gradient: Matrix;
}

/** Cross-entropy of logits (N, C) against integer targets (N) in [0, C), reduction 'mean' or 'sum'. */
export function crossEntropy(
  logits: Matrix,
  targets: readonly number[],
  options: { reduction?: 'mean' | 'sum' } = {},
): CrossEntropyStages {
  const fn = 'crossEntropy';
  const [n, c] = checkMatrix(fn, 'logits', logits, { rowLabel: 'N', colLabel: 'C' });
  if (!Array.isArray(targets) || targets.length !== n) {
    fail(
      fn,
      `targets must have length N=${n}, got ${Array.isArray(targets) ? targets.length : typeof targets}`,
    );
  }
  targets.forEach((t, i) => checkInt(fn, `targets[${i}]`, t, 0, c - 1));
  const reduction = options.reduction ?? 'mean';
  if (reduction !== 'mean' && reduction !== 'sum')
    fail(fn, `reduction must be 'mean' or 'sum', got ${String(reduction)}`);
  const max = logits.map((row) => Math.max(...row)); // (N)
  const logSumExp = logits.map(
    (row, i) => max[i] + Math.log(row.reduce((s, x) => s + Math.exp(x - max[i]), 0)),
  ); // (N)
  const logProbs = logits.map((row, i) => row.map((x) => x - logSumExp[i])); // (N, C)
  const probs = logProbs.map((row) => row.map(Math.exp)); // (N, C)
  const losses = targets.map((t, i) => -logProbs[i][t]); // (N)
  const total = losses.reduce((s, x) => s + x, 0);
  const k = reduction === 'mean' ? 1 / n : 1;
  const gradient = probs.map((row, i) => row.map((p, j) => (p - (j === targets[i] ? 1 : 0)) * k)); // (N, C)
  return { max, logSumExp, logProbs, probs, losses, loss: total * k, gradient };
}
