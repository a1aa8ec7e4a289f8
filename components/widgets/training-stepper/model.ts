/**
 * DOM-free logic behind the training-loop stepper: a pure state machine that runs one phase of a
 * PyTorch training step at a time (zero_grad, forward, loss, backward, step) over the models of
 * network.ts, which it re-exports, and tells when a run diverges.
 */
import { READOUT, fmt } from '../shared/parse';
import {
  backward,
  createOptimizerState,
  forward,
  lossAt,
  lossOf,
  optimizerStep,
  type Example,
  type LossStages,
  type ModelSpec,
  type OptimizerId,
  type OptimizerState,
} from './network';

export * from './network';

export type PhaseId = 'zero_grad' | 'forward' | 'loss' | 'backward' | 'step';

export interface Phase {
  id: PhaseId;
  title: string;
  code: string;
  /** Why the phase does not run at inference. */
  inferenceWhy: string;
}

export const PHASES: Phase[] = [
  {
    id: 'zero_grad',
    title: 'Clear the gradients',
    code: 'optimizer.zero_grad()',
    inferenceWhy: 'No backward pass runs, so there are no gradients to clear.',
  },
  {
    id: 'forward',
    title: 'Forward pass',
    code: 'outputs = model(inputs)',
    inferenceWhy: '',
  },
  {
    id: 'loss',
    title: 'Loss',
    code: 'loss = criterion(outputs, labels)',
    inferenceWhy:
      'Pure prediction has no labels to compare with, so there is no loss. (Evaluation code such as estimate_loss() does compute one, under torch.no_grad().)',
  },
  {
    id: 'backward',
    title: 'Backward pass',
    code: 'loss.backward()',
    inferenceWhy:
      'No weight will change, so no gradient is needed; under torch.no_grad() no graph was even recorded.',
  },
  {
    id: 'step',
    title: 'Update the weights',
    code: 'optimizer.step()',
    inferenceWhy: 'Inference uses the finished weights and changes nothing.',
  },
];

export const INFERENCE_FORWARD_CODE = 'with torch.no_grad(): outputs = model(inputs)';

/** Everything the stepper shows; each phase returns a new Trainer. */
export interface Trainer {
  spec: ModelSpec;
  data: Example[];
  optimizer: OptimizerId;
  lr: number;
  params: number[];
  /** Each parameter's .grad; null after zero_grad (PyTorch sets it to None). */
  grad: number[] | null;
  optState: OptimizerState;
  outputs: number[][] | null;
  loss: LossStages | null;
  /** Index into PHASES of the phase that runs next. */
  next: number;
  /** Completed optimizer steps. */
  iteration: number;
  skipZeroGrad: boolean;
  inference: boolean;
  /** The last phase that ran, and in which iteration. */
  last: PhaseId | null;
  /** Parameters before and after the last optimizer.step(). */
  lastStep: { old: number[]; updated: number[] } | null;
  /** The loss of each completed step (computed before its update). */
  history: number[];
  /** Set when the loss or the weights blow up; the stepper stops until reset. */
  diverged: string | null;
  /** The gradient the last backward pass computed (before any accumulation), (P). */
  freshGrad: number[] | null;
}

export function createTrainer(
  spec: ModelSpec,
  data: Example[],
  optimizer: OptimizerId,
  lr: number,
  options: { skipZeroGrad?: boolean; inference?: boolean } = {},
): Trainer {
  const skipZeroGrad = options.skipZeroGrad ?? false;
  const inference = options.inference ?? false;
  return {
    spec,
    data,
    optimizer,
    lr,
    params: spec.init.slice(),
    grad: null,
    optState: createOptimizerState(optimizer, spec.init.length),
    outputs: null,
    loss: null,
    next: firstPhase(skipZeroGrad, inference),
    iteration: 0,
    skipZeroGrad,
    inference,
    last: null,
    lastStep: null,
    history: [],
    diverged: null,
    freshGrad: null,
  };
}

/** Where an iteration starts: zero_grad, or the forward pass when it is skipped or at inference. */
export function firstPhase(skipZeroGrad: boolean, inference: boolean): number {
  return skipZeroGrad || inference ? 1 : 0;
}

/** Loss this many times the first step's loss, and still rising, counts as divergence. */
export const DIVERGENCE_FACTOR = 100;
const MAX_ABS_PARAM = 1e12;

/** A divergence message, or null: non-finite or huge numbers, or a loss that keeps exploding. */
export function divergence(history: readonly number[], params: readonly number[], lr: number): string | null {
  const tooLow = `The learning rate (${lr}) is too high: each step overshoots the minimum by more than it corrects. Reset, then lower the learning rate.`;
  if (params.some((p) => !Number.isFinite(p) || Math.abs(p) > MAX_ABS_PARAM)) {
    return `The weights overflowed. ${tooLow}`;
  }
  const n = history.length;
  const last = history[n - 1];
  if (n > 0 && !Number.isFinite(last)) return `The loss is no longer a finite number. ${tooLow}`;
  if (
    n >= 3 &&
    last > DIVERGENCE_FACTOR * history[0] &&
    last > history[n - 2] &&
    history[n - 2] > history[n - 3]
  ) {
    return `The loss is exploding: ${fmt(history[0], READOUT)} at step 1, ${fmt(last, READOUT)} at step ${n}. ${tooLow}`;
  }
  return null;
}

function addInto(a: number[] | null, b: number[]): number[] {
  return a === null ? b.slice() : a.map((x, i) => x + b[i]);
}

/** Run the next phase. A diverged trainer stays as it is. */
export function advance(t: Trainer): Trainer {
  if (t.diverged) return t;
  const phase = PHASES[t.next].id;
  try {
    return runPhase(t, phase);
  } catch (err) {
    // src/lib refuses non-finite numbers: that only happens once training has blown up.
    return {
      ...t,
      diverged: `The numbers overflowed (${(err as Error).message}). Reset, then lower the learning rate.`,
    };
  }
}

function runPhase(t: Trainer, phase: PhaseId): Trainer {
  if (t.inference) {
    // Only the forward pass runs; the pointer stays on it.
    return { ...t, outputs: forward(t.spec, t.params, t.data), loss: null, last: 'forward' };
  }
  const nextIndex = (i: number) => (i + 1 < PHASES.length ? i + 1 : firstPhase(t.skipZeroGrad, false));
  const base = { ...t, next: nextIndex(t.next), last: phase };
  switch (phase) {
    case 'zero_grad':
      return { ...base, grad: null, freshGrad: null };
    case 'forward':
      return { ...base, outputs: forward(t.spec, t.params, t.data), loss: null };
    case 'loss':
      return { ...base, loss: lossOf(t.spec, t.outputs ?? forward(t.spec, t.params, t.data), t.data) };
    case 'backward': {
      const loss = t.loss ?? lossOf(t.spec, forward(t.spec, t.params, t.data), t.data);
      const fresh = backward(t.spec, t.data, loss.gradOutputs);
      return { ...base, loss, freshGrad: fresh, grad: addInto(t.grad, fresh) };
    }
    case 'step': {
      const grads = t.grad ?? t.spec.init.map(() => 0);
      const r = optimizerStep(t.optimizer, t.params, grads, t.optState, t.lr);
      const history = [...t.history, t.loss ? t.loss.loss : lossAt(t.spec, t.params, t.data)];
      return {
        ...base,
        params: r.params,
        optState: r.state,
        lastStep: { old: t.params.slice(), updated: r.params },
        iteration: t.iteration + 1,
        history,
        diverged: divergence(history, r.params, t.lr),
      };
    }
  }
}

/** Run phases until the current step is complete (the next phase starts a new iteration). */
export function finishStep(t: Trainer): Trainer {
  if (t.inference) return advance(t);
  let cur = advance(t);
  while (!cur.diverged && cur.next !== firstPhase(cur.skipZeroGrad, false)) cur = advance(cur);
  return cur;
}

/** Finish the current step, then run n − 1 more, stopping early on divergence. */
export function runSteps(t: Trainer, n: number): Trainer {
  let cur = t;
  for (let i = 0; i < n && !cur.diverged; i++) cur = finishStep(cur);
  return cur;
}

/** Switch between training and inference; the next pass starts at its first phase. */
export function setInference(t: Trainer, inference: boolean): Trainer {
  return {
    ...t,
    inference,
    next: firstPhase(t.skipZeroGrad, inference),
    outputs: null,
    loss: null,
    last: null,
  };
}

/** Skip (or restore) zero_grad; takes effect from the next iteration, or now if it is next. */
export function setSkipZeroGrad(t: Trainer, skip: boolean): Trainer {
  const atStart = t.next === firstPhase(t.skipZeroGrad, t.inference);
  return { ...t, skipZeroGrad: skip, next: atStart ? firstPhase(skip, t.inference) : t.next };
}

/** Choose another optimizer: PyTorch would build a new one, so its state starts fresh. */
export function setOptimizer(t: Trainer, id: OptimizerId): Trainer {
  return { ...t, optimizer: id, optState: createOptimizerState(id, t.params.length) };
}

/** Change the learning rate; it applies from the next optimizer.step(). */
export function setLearningRate(t: Trainer, lr: number): Trainer {
  return { ...t, lr };
}
