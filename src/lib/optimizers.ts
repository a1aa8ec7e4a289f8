/**
 * One-step optimizers over flat parameter arrays, matching torch.optim.SGD, Adam and AdamW (single tensor,
 * foreach=False semantics). Each step is pure: it returns new params and a new state.
 */
import type { Vector } from './matrix';
import { checkNumber, checkRange, checkVector, fail } from './validate';

function checkParams(fn: string, params: readonly number[], grads: readonly number[]): number {
  const n = checkVector(fn, 'params', params);
  checkVector(fn, 'grads', grads, n);
  return n;
}

/** SGD options (PyTorch defaults: momentum 0, dampening 0, weightDecay 0, nesterov false, maximize false). */
export interface SgdOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

/** SGD state: the momentum buffer, null before the first step. */
export interface SgdState {
  momentumBuffer: Vector | null;
}

/** Stages of an optimizer step. */
export interface StepResult<S> {
  /** Updated parameters, (n). */
  params: Vector;
  /** Updated state (the input state is not mutated). */
  state: S;
  /** The direction actually applied: params_new = params − lr·update (AdamW: after the decay), (n). */
  update: Vector;
}

/** Empty SGD state. */
export function createSgdState(): SgdState {
  return { momentumBuffer: null };
}

/** One torch.optim.SGD step over params (n) with grads (n): weight decay, momentum, dampening, Nesterov. */
export function sgdStep(
  params: readonly number[],
  grads: readonly number[],
  state: SgdState,
  o: SgdOptions,
): StepResult<SgdState> {
  const fn = 'sgdStep';
  const n = checkParams(fn, params, grads);
  checkRange(fn, 'lr', o.lr, 0, Infinity, { hiOpen: true });
  const momentum = o.momentum ?? 0;
  const dampening = o.dampening ?? 0;
  const wd = o.weightDecay ?? 0;
  checkRange(fn, 'momentum', momentum, 0, Infinity, { hiOpen: true });
  checkNumber(fn, 'dampening', dampening);
  checkRange(fn, 'weightDecay', wd, 0, Infinity, { hiOpen: true });
  if (o.nesterov && (momentum <= 0 || dampening !== 0)) {
    fail(fn, 'nesterov requires momentum > 0 and dampening = 0');
  }
  if (state.momentumBuffer !== null) checkVector(fn, 'state.momentumBuffer', state.momentumBuffer, n);
  let d = grads.map((g, i) => (o.maximize ? -g : g) + wd * params[i]); // (n)
  let buf: Vector | null = state.momentumBuffer;
  if (momentum !== 0) {
    buf = buf === null ? d.slice() : buf.map((b, i) => momentum * b + (1 - dampening) * d[i]); // (n)
    const b = buf;
    d = o.nesterov ? d.map((x, i) => x + momentum * b[i]) : b.slice();
  }
  return { params: params.map((p, i) => p - o.lr * d[i]), state: { momentumBuffer: buf }, update: d };
}

/** Adam / AdamW options (PyTorch defaults: betas [0.9, 0.999], eps 1e-8; weightDecay 0 for Adam, 0.01 for AdamW). */
export interface AdamOptions {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

/** Adam state: step count and the moment estimates, (n) each. */
export interface AdamState {
  step: number;
  expAvg: Vector;
  expAvgSq: Vector;
  /** Running max of expAvgSq (amsgrad only). */
  maxExpAvgSq: Vector;
}

/** Zeroed Adam/AdamW state for n parameters. */
export function createAdamState(n: number): AdamState {
  if (!Number.isInteger(n) || n < 1) fail('createAdamState', `n must be an integer >= 1, got ${n}`);
  return {
    step: 0,
    expAvg: new Array(n).fill(0),
    expAvgSq: new Array(n).fill(0),
    maxExpAvgSq: new Array(n).fill(0),
  };
}

function adamCore(
  fn: string,
  params: readonly number[],
  grads: readonly number[],
  state: AdamState,
  o: AdamOptions,
  decoupled: boolean,
): StepResult<AdamState> & { decayed: Vector } {
  const n = checkParams(fn, params, grads);
  checkRange(fn, 'lr', o.lr, 0, Infinity, { hiOpen: true });
  const [b1, b2] = o.betas ?? [0.9, 0.999];
  checkRange(fn, 'betas[0]', b1, 0, 1, { hiOpen: true });
  checkRange(fn, 'betas[1]', b2, 0, 1, { hiOpen: true });
  const eps = o.eps ?? 1e-8;
  checkRange(fn, 'eps', eps, 0, Infinity, { hiOpen: true });
  const wd = o.weightDecay ?? (decoupled ? 0.01 : 0);
  checkRange(fn, 'weightDecay', wd, 0, Infinity, { hiOpen: true });
  checkVector(fn, 'state.expAvg', state.expAvg, n);
  checkVector(fn, 'state.expAvgSq', state.expAvgSq, n);
  checkVector(fn, 'state.maxExpAvgSq', state.maxExpAvgSq, n);
  const step = state.step + 1;
  // AdamW decays the weights directly (decoupled); Adam adds the L2 term to the gradient.
  const decayed = decoupled ? params.map((p) => p * (1 - o.lr * wd)) : params.slice(); // (n)
  const g = grads.map((x, i) => (o.maximize ? -x : x) + (decoupled ? 0 : wd * params[i])); // (n)
  const expAvg = state.expAvg.map((m, i) => m * b1 + (1 - b1) * g[i]); // (n)
  const expAvgSq = state.expAvgSq.map((v, i) => v * b2 + (1 - b2) * g[i] * g[i]); // (n)
  const maxExpAvgSq = o.amsgrad
    ? state.maxExpAvgSq.map((m, i) => Math.max(m, expAvgSq[i]))
    : state.maxExpAvgSq.slice();
  const bc1 = 1 - b1 ** step;
  const bc2Sqrt = Math.sqrt(1 - b2 ** step);
  const stepSize = o.lr / bc1;
  const second = o.amsgrad ? maxExpAvgSq : expAvgSq;
  const ratio = expAvg.map((m, i) => m / (Math.sqrt(second[i]) / bc2Sqrt + eps)); // (n) m / denom
  const out = decayed.map((p, i) => p - stepSize * ratio[i]); // (n)
  const update = ratio.map((r) => r / bc1); // (n)
  return { params: out, state: { step, expAvg, expAvgSq, maxExpAvgSq }, update, decayed };
}

/** One torch.optim.Adam step over params (n) with grads (n); weightDecay adds wd·p to the gradient (L2). */
export function adamStep(
  params: readonly number[],
  grads: readonly number[],
  state: AdamState,
  o: AdamOptions,
): StepResult<AdamState> {
  const { decayed: _d, ...r } = adamCore('adamStep', params, grads, state, o, false);
  return r;
}

/**
 * One torch.optim.AdamW step over params (n): decoupled weight decay p ← p·(1 − lr·wd) first, then the Adam
 * update with bias correction. `decayed` holds the parameters after the decay, (n).
 */
export function adamWStep(
  params: readonly number[],
  grads: readonly number[],
  state: AdamState,
  o: AdamOptions,
): StepResult<AdamState> & { decayed: Vector } {
  return adamCore('adamWStep', params, grads, state, o, true);
}
