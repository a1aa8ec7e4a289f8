/**
 * DOM-free logic behind the activation explorer: the activations of src/lib/activations.ts by name
 * (with a configurable Leaky ReLU slope), sampled curves for the plot, the x-intervals where the
 * gradient vanishes (|f′(x)| below a threshold), and checks for what a learner types.
 */
import type { ListRule, NumberRule } from '../shared/parse';
import {
  ACTIVATIONS,
  leakyRelu,
  leakyReluDerivative,
  type ActivationName,
} from '../../../src/lib/activations';

/** The explorer's functions are the library's activations, by the same names. */
export type FunctionId = ActivationName;

export interface Activation {
  id: FunctionId;
  label: string;
  f: (x: number) => number;
  df: (x: number) => number;
}

/** Plotted x range. */
export const X_MIN = -6;
export const X_MAX = 6;

/** The activations the explorer offers; Leaky ReLU uses the given negative slope. */
export function activations(slope: number): Activation[] {
  return [
    { id: 'relu', label: 'ReLU', ...ACTIVATIONS.relu },
    {
      id: 'leaky-relu',
      label: `Leaky ReLU (slope ${slope})`,
      f: (x) => leakyRelu(x, slope),
      df: (x) => leakyReluDerivative(x, slope),
    },
    { id: 'sigmoid', label: 'Sigmoid', ...ACTIVATIONS.sigmoid },
    { id: 'tanh', label: 'Tanh', ...ACTIVATIONS.tanh },
    { id: 'gelu', label: 'GELU (exact)', ...ACTIVATIONS.gelu },
    { id: 'gelu-tanh', label: 'GELU (tanh approximation)', ...ACTIVATIONS['gelu-tanh'] },
  ];
}

/** The activation with this id. */
export function activation(id: FunctionId, slope: number): Activation {
  const found = activations(slope).find((a) => a.id === id);
  if (!found) throw new RangeError(`activation: unknown id ${String(id)}`);
  return found;
}

/** n + 1 evenly spaced samples of f on [lo, hi], as [x, y] pairs. */
export function sampleCurve(f: (x: number) => number, lo = X_MIN, hi = X_MAX, n = 240): [number, number][] {
  return Array.from({ length: n + 1 }, (_, i) => {
    const x = lo + ((hi - lo) * i) / n;
    return [x, f(x)];
  });
}

/** A closed x-interval [from, to]; openLeft/openRight say it runs on past the plotted range. */
export interface Interval {
  from: number;
  to: number;
  openLeft: boolean;
  openRight: boolean;
}

/**
 * Where |df(x)| < threshold on [lo, hi]: scan a fine grid, then refine each boundary by bisection, so
 * the ends are accurate to about 1e-9 (a jump such as ReLU′ at 0 is found to within that too).
 */
export function vanishingIntervals(
  df: (x: number) => number,
  threshold: number,
  lo = X_MIN,
  hi = X_MAX,
  steps = 1200,
): Interval[] {
  const small = (x: number) => Math.abs(df(x)) < threshold;
  const refine = (a: number, b: number) => {
    // small(a) !== small(b): find the switch point.
    const sa = small(a);
    for (let i = 0; i < 60; i++) {
      const mid = (a + b) / 2;
      if (small(mid) === sa) a = mid;
      else b = mid;
    }
    return (a + b) / 2;
  };
  const out: Interval[] = [];
  let start: number | null = small(lo) ? lo : null;
  let prev = lo;
  for (let i = 1; i <= steps; i++) {
    const x = lo + ((hi - lo) * i) / steps;
    const s = small(x);
    if (s && start === null) start = refine(prev, x);
    else if (!s && start !== null) {
      out.push({ from: start, to: refine(prev, x), openLeft: start === lo, openRight: false });
      start = null;
    }
    prev = x;
  }
  if (start !== null) out.push({ from: start, to: hi, openLeft: start === lo, openRight: true });
  return out;
}

/** Two decimals for interval ends, no −0. */
function end(x: number): string {
  const s = x.toFixed(2);
  return /^-0\.0+$/.test(s) ? s.slice(1) : s;
}

/** A sentence describing the vanishing-gradient regions, e.g. "x ≤ −4.60 and x ≥ 4.60". */
export function describeIntervals(intervals: Interval[], threshold: number): string {
  if (intervals.length === 0) return `|f′(x)| is at least ${threshold} everywhere from ${X_MIN} to ${X_MAX}.`;
  const parts = intervals.map((iv) => {
    if (iv.openLeft && iv.openRight) return `every x from ${X_MIN} to ${X_MAX}`;
    if (iv.openLeft) return `x ≤ ${end(iv.to)}`;
    if (iv.openRight) return `x ≥ ${end(iv.from)}`;
    return `${end(iv.from)} ≤ x ≤ ${end(iv.to)}`;
  });
  return `|f′(x)| < ${threshold} for ${parts.join(' and ')} (within the plotted range ${X_MIN} to ${X_MAX}).`;
}

/** Bounds of the controls. */
export const SLOPE_MAX = 1;
export const THRESHOLD_MIN = 1e-6;
export const THRESHOLD_MAX = 0.5;
export const TEMP_MIN = 0.05;
export const TEMP_MAX = 10;
export const MAX_LOGITS = 10;
export const MAX_ABS_LOGIT = 1000;

/** The plot's fields and the softmax's, as the shared parser reads them. */
export const RULES = {
  x: { label: 'x', min: X_MIN, max: X_MAX },
  slope: { label: 'Leaky ReLU slope', min: 0, max: SLOPE_MAX },
  threshold: { label: 'Vanishing threshold', min: THRESHOLD_MIN, max: THRESHOLD_MAX },
  temperature: { label: 'Temperature', min: TEMP_MIN, max: TEMP_MAX },
} satisfies Record<string, NumberRule>;

/** The softmax's scores: 1 to MAX_LOGITS numbers within ±MAX_ABS_LOGIT. */
export const SCORES: ListRule = { label: 'Scores', maxCount: MAX_LOGITS, maxAbs: MAX_ABS_LOGIT };
