/** Regularization: the L2 penalty with its gradient, and early stopping over a validation-loss history. */
import { checkInt, checkNumber, checkRange, checkVector, fail } from './validate';

/** L2 penalty stages. */
export interface L2Stages<T extends number[] | number[][]> {
  /** Σ w² over all weights. */
  sumSquares: number;
  /** λ·Σ w² (or ½λ·Σ w² with half). */
  penalty: number;
  /** ∂penalty/∂w = 2λw (or λw with half), same shape as the weights. */
  gradient: T;
}

/**
 * L2 penalty λ·Σw² of weight rows (rows, cols) or a vector (n, treated as one row) and its gradient 2λw.
 * With half: ½λ·Σw² and gradient λw — the form whose gradient equals PyTorch's weight_decay = λ.
 */
export function l2Penalty(
  weights: number[],
  lambda: number,
  options?: { half?: boolean },
): L2Stages<number[]>;
export function l2Penalty(
  weights: number[][],
  lambda: number,
  options?: { half?: boolean },
): L2Stages<number[][]>;
export function l2Penalty(
  weights: number[] | number[][],
  lambda: number,
  options: { half?: boolean } = {},
): L2Stages<number[]> | L2Stages<number[][]> {
  const fn = 'l2Penalty';
  checkRange(fn, 'lambda', lambda, 0, Infinity, { hiOpen: true });
  if (!Array.isArray(weights) || weights.length === 0)
    fail(fn, 'weights must be a non-empty array or matrix');
  const isMatrix = Array.isArray(weights[0]);
  const rows = (isMatrix ? weights : [weights]) as number[][];
  rows.forEach((row, i) => checkVector(fn, isMatrix ? `weights[${i}]` : 'weights', row));
  const c = options.half ? lambda / 2 : lambda;
  const sumSquares = rows.reduce((s, row) => s + row.reduce((t, w) => t + w * w, 0), 0);
  const gradient = rows.map((row) => row.map((w) => 2 * c * w)); // same shape as weights
  const penalty = c * sumSquares;
  return isMatrix ? { sumSquares, penalty, gradient } : { sumSquares, penalty, gradient: gradient[0] };
}

/** Early stopping state after a history of validation values. */
export interface EarlyStoppingResult {
  /** True once `wait` reached `patience`. */
  stop: boolean;
  /** Index of the best value among the epochs that ran (first one, on ties); never after the stop. */
  bestEpoch: number;
  bestValue: number;
  /** Epochs since the last improvement, counted up to the stop. */
  wait: number;
  /** Per epoch that ran: did it improve on the best by more than minDelta? (epochsRun). */
  improved: boolean[];
  /** The epoch at which stop first became true (training ends after it), or null. */
  stoppedEpoch: number | null;
  /** How many epochs ran: stoppedEpoch + 1 after a stop, else the whole history. */
  epochsRun: number;
  /** With restore-best-weights: the epoch whose weights are restored at the stop, or null (no stop). */
  restoredEpoch: number | null;
}

/**
 * Early stopping over val-loss history (n), Keras EarlyStopping semantics: an epoch improves when it beats
 * the best by more than minDelta (mode 'min': value < best − minDelta; 'max': value > best + minDelta);
 * training stops after the epoch where wait >= patience, so later epochs never run and cannot become
 * the best; restore-best-weights then restores bestEpoch.
 */
export function earlyStopping(
  history: readonly number[],
  options: { patience: number; minDelta?: number; mode?: 'min' | 'max' },
): EarlyStoppingResult {
  const fn = 'earlyStopping';
  checkVector(fn, 'history', history);
  checkInt(fn, 'patience', options.patience, 1);
  const minDelta = options.minDelta ?? 0;
  checkNumber(fn, 'minDelta', minDelta);
  if (minDelta < 0) fail(fn, `minDelta must be >= 0, got ${minDelta}`);
  const mode = options.mode ?? 'min';
  if (mode !== 'min' && mode !== 'max') fail(fn, `mode must be 'min' or 'max', got ${String(mode)}`);
  let bestValue = mode === 'min' ? Infinity : -Infinity;
  let bestEpoch = -1;
  let wait = 0;
  let stoppedEpoch: number | null = null;
  const improved: boolean[] = [];
  for (let epoch = 0; epoch < history.length && stoppedEpoch === null; epoch++) {
    const v = history[epoch];
    const better = mode === 'min' ? v < bestValue - minDelta : v > bestValue + minDelta;
    improved.push(better);
    if (better) {
      bestValue = v;
      bestEpoch = epoch;
      wait = 0;
    } else if (++wait >= options.patience) stoppedEpoch = epoch; // the run ends after this epoch
  }
  const stop = stoppedEpoch !== null;
  const restoredEpoch = stop ? bestEpoch : null;
  return {
    stop,
    bestEpoch,
    bestValue,
    wait,
    improved,
    stoppedEpoch,
    epochsRun: improved.length,
    restoredEpoch,
  };
}
