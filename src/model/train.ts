/**
 * The training loop, host-agnostic: progress leaves through callbacks whose arguments are plain,
 * structured-clone-friendly objects (a worker can postMessage them as they are), and control comes in
 * through a TrainingControl (pause / resume / stop) or an AbortSignal.
 *
 * It fixes two things in the notes' loop:
 *  - Convergence. The notes compute loss_diff = train_loss − min_loss with min_loss the best loss so far,
 *    and declare convergence when loss_diff / min_loss × 100 <= 1. loss_diff is 0 at the first evaluation
 *    and negative whenever the loss improves, so the check fires at step 0 and at every evaluation where
 *    training is making progress, and stays silent only when the loss got worse by more than 1 %. It also
 *    watches the training loss (which keeps falling while the model overfits) and never stops the loop.
 *    Here ConvergenceDetector watches the best *validation* loss and reports convergence when it improved by
 *    less than a relative threshold over a window of evaluations (patience-style early stopping).
 *  - Generation. The notes' generate() feeds the whole growing sequence to the model, which breaks once it
 *    is longer than block_size (no position embedding beyond it); the engine crops the context.
 * A NaN or infinite loss stops training before the update is applied, so the weights stay the last good ones.
 * With an engine that pipelines (Engine.submitStep), step n + 1 is already on the device when step n's loss
 * comes back; the loop drains that pipeline before anything reads the engine (estimates, samples,
 * checkpoints), and a non-finite loss reports whether a queued step moved the weights past it anyway.
 */
import type { Rng } from '../lib/rng';
import type { GPTConfig } from './config';
import { now } from './clock';
import { decode, encode, type BatchSource, type Vocab } from './data';
import {
  STEPS_IN_FLIGHT,
  type AttentionMaps,
  type Engine,
  type GenerateOptions,
  type StepResult,
} from './engine';

/** Reported after every optimisation step. */
export interface StepEvent {
  type: 'step';
  /** Steps completed (1 after the first update). */
  step: number;
  loss: number;
  /** Learning rate used for this step. */
  lr: number;
  msPerStep: number;
  tokensPerSec: number;
  gradNorm?: number;
}

/** Reported after each loss estimate (every evalInterval steps, and at the end). */
export interface EvalEvent {
  type: 'eval';
  /** Steps completed when the estimate was taken. */
  step: number;
  train: number;
  val: number;
}

/** A text sample generated during training. */
export interface SampleEvent {
  type: 'sample';
  step: number;
  prompt: string;
  text: string;
}

/** Reported once, when the detector decides the validation loss has stopped improving. */
export interface ConvergenceEvent {
  type: 'convergence';
  step: number;
  bestVal: number;
  bestStep: number;
  /** Relative improvement of the best val loss over the window (below the threshold). */
  relativeImprovement: number;
  /** Evaluations in the window. */
  window: number;
}

/**
 * What the loop is busy with between steps, so a host can say so: a loss estimate (batch `done` of
 * `total`), an in-training sample, or the first step of a run (slow: the backend compiles its kernels).
 */
export interface PhaseEvent {
  type: 'phase';
  phase: 'estimating' | 'sampling' | 'first-step';
  /** Steps completed. */
  step: number;
  done?: number;
  total?: number;
}

/** A checkpoint may be taken now: no step is in flight and the engine holds the weights after `step`. */
export interface CheckpointDueEvent {
  type: 'checkpoint-due';
  step: number;
}

/** Why train() returned. */
export type StopReason = 'max-iters' | 'stopped' | 'converged' | 'non-finite';

/** train()'s result, also passed to onStop. */
export interface StopEvent {
  type: 'stop';
  reason: StopReason;
  /** Steps completed (the weights are those after this many steps). */
  step: number;
  /** The last finite training loss, if any. */
  lastLoss: number | null;
  /** The offending loss when reason is 'non-finite'. */
  badLoss?: number;
  /**
   * Updates the device applied after the non-finite step, from steps already submitted behind it (the step
   * pipeline). When set, the weights moved past the last good state: a host must not save them.
   */
  stepsAfterBad?: number;
  /** A sentence for the UI. */
  message: string;
}

/** Any event of the loop (what a worker would post). */
export type TrainEvent = StepEvent | EvalEvent | SampleEvent | ConvergenceEvent | StopEvent | PhaseEvent;

/** Callbacks; none of them may touch tensors. Returned promises are awaited (back-pressure). */
export interface TrainCallbacks {
  onStep?: (e: StepEvent) => void | Promise<void>;
  onEval?: (e: EvalEvent) => void | Promise<void>;
  onSample?: (e: SampleEvent) => void | Promise<void>;
  onConvergence?: (e: ConvergenceEvent) => void | Promise<void>;
  onStop?: (e: StopEvent) => void | Promise<void>;
  onPhase?: (e: PhaseEvent) => void | Promise<void>;
  /** Every checkpointInterval steps, with no step in flight and every loss so far finite: save here. */
  onCheckpoint?: (e: CheckpointDueEvent) => void | Promise<void>;
}

// --------------------------------------------------------------------------------------- control

/** Pause, resume and stop a running loop from outside (a UI button, a worker message). */
export class TrainingControl {
  private isPaused = false;
  private isStopped = false;
  private wake: (() => void) | null = null;

  get paused(): boolean {
    return this.isPaused;
  }

  get stopped(): boolean {
    return this.isStopped;
  }

  /** Pause before the next step (the current step finishes). */
  pause(): void {
    this.isPaused = true;
  }

  /** Continue after a pause. */
  resume(): void {
    this.isPaused = false;
    this.release();
  }

  /** Stop before the next step; train() then resolves with reason 'stopped'. */
  stop(): void {
    this.isStopped = true;
    this.release();
  }

  /** Resolve immediately when running, otherwise when resumed or stopped. */
  async waitWhilePaused(): Promise<void> {
    while (this.isPaused && !this.isStopped) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private release(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

// ----------------------------------------------------------------------------------- convergence

/** Settings of ConvergenceDetector. */
export interface ConvergenceOptions {
  /** Evaluations to look back over (patience). */
  window: number;
  /** Converged when the best val loss improved by less than this fraction over the window. */
  minRelativeImprovement: number;
}

/** Defaults: less than 1 % better over the last 5 evaluations. */
export const CONVERGENCE_DEFAULTS: ConvergenceOptions = { window: 5, minRelativeImprovement: 0.01 };

/**
 * Early stopping done right: after each evaluation, compare the best validation loss now with the best
 * validation loss `window` evaluations ago; converged when (bestThen − bestNow) / bestThen < threshold.
 * A rising val loss (overfitting) leaves the best unchanged, so it converges too after `window` evaluations.
 */
export class ConvergenceDetector {
  readonly options: ConvergenceOptions;
  /** Best val loss after each evaluation. */
  private readonly bests: number[] = [];
  private bestStep = -1;

  /** Create a detector with the given window and threshold. */
  constructor(options: Partial<ConvergenceOptions> = {}) {
    this.options = { ...CONVERGENCE_DEFAULTS, ...options };
    const { window, minRelativeImprovement } = this.options;
    if (!Number.isInteger(window) || window < 1)
      throw new RangeError(`convergence window must be >= 1, got ${window}`);
    if (!(minRelativeImprovement >= 0)) {
      throw new RangeError(`minRelativeImprovement must be >= 0, got ${minRelativeImprovement}`);
    }
  }

  /** Record an evaluation; returns the verdict once converged (every later call returns one too), else null. */
  update(step: number, valLoss: number): ConvergenceEvent | null {
    const prev = this.bests.length ? this.bests[this.bests.length - 1] : Infinity;
    if (valLoss < prev) this.bestStep = step;
    const best = Math.min(prev, valLoss);
    this.bests.push(best);
    const { window, minRelativeImprovement } = this.options;
    if (this.bests.length <= window) return null;
    const then = this.bests[this.bests.length - 1 - window];
    const relativeImprovement = (then - best) / Math.abs(then);
    if (relativeImprovement >= minRelativeImprovement) return null;
    return { type: 'convergence', step, bestVal: best, bestStep: this.bestStep, relativeImprovement, window };
  }

  /** The state, for checkpoints. */
  getState(): { bests: number[]; bestStep: number } {
    return { bests: [...this.bests], bestStep: this.bestStep };
  }

  /** Restore a state from getState. */
  setState(state: { bests: number[]; bestStep: number }): void {
    this.bests.splice(0, this.bests.length, ...state.bests);
    this.bestStep = state.bestStep;
  }
}

/** One evaluation as the notes' convergence check sees it. */
export interface NotesConvergenceLine {
  /** Train loss minus the lowest train loss before this evaluation (the notes' "Loss difference"). */
  diff: number;
  /** diff as a percentage of that minimum (the notes' "Percentage change"). */
  percentageChange: number;
  /** Whether the notes would print "Algorithm has converged" (true whenever the loss fell). */
  converged: boolean;
}

/** The notes' convergence check for each evaluation's train loss, with the numbers it prints. */
export function notesConvergenceCheck(trainLosses: number[]): NotesConvergenceLine[] {
  let minLoss = Infinity;
  return trainLosses.map((loss) => {
    if (minLoss === Infinity) minLoss = loss;
    const diff = loss - minLoss;
    const percentageChange = (diff / minLoss) * 100;
    if (loss < minLoss) minLoss = loss;
    return { diff, percentageChange, converged: percentageChange <= 1 };
  });
}

/**
 * The notes' convergence check, reproduced for the chapter: for each evaluation, whether the notes would
 * print "Algorithm has converged". It is true at the first evaluation and whenever the loss went down.
 */
export function notesConvergenceFlags(trainLosses: number[]): boolean[] {
  return notesConvergenceCheck(trainLosses).map((l) => l.converged);
}

// ------------------------------------------------------------------------------------ evaluation

/** How estimateLoss can be followed and interrupted. */
export interface EstimateOptions {
  /** Called after each batch with batches done and the total (evalIters per split, both splits). */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  /** Awaited before each batch; true abandons the estimate (estimateLoss then resolves to null). */
  shouldStop?: () => boolean | Promise<boolean>;
}

/** Read-backs per split of an estimate, at most: batches go to the engine in this many chunks. */
export const ESTIMATE_CHUNKS = 8;

/**
 * The notes' estimate_loss: mean loss over evalIters batches of each split, in eval mode (no dropout).
 * The batches go to the engine in at most ESTIMATE_CHUNKS chunks per split, so a host can show progress
 * and stop in the middle without a read-back per batch; the mean of the chunk means, weighted by their
 * sizes, is the mean over all batches (every batch has the same shape).
 */
export async function estimateLoss(
  engine: Engine,
  data: BatchSource,
  evalIters: number,
  opts: EstimateOptions = {},
): Promise<{ train: number; val: number } | null> {
  const out = { train: 0, val: 0 };
  const chunk = Math.max(1, Math.ceil(evalIters / ESTIMATE_CHUNKS));
  let done = 0;
  for (const split of ['train', 'val'] as const) {
    let sum = 0;
    for (let k = 0; k < evalIters; k += chunk) {
      if (await opts.shouldStop?.()) return null;
      const batches = [];
      for (let j = k; j < Math.min(evalIters, k + chunk); j++) batches.push(await data.getBatch(split));
      sum += (await engine.estimateLoss(batches)) * batches.length;
      done += batches.length;
      await opts.onProgress?.(done, 2 * evalIters);
    }
    out[split] = sum / evalIters;
  }
  return out;
}

// ------------------------------------------------------------------------------------ generation

/** Ids of a prompt; an empty prompt starts from '\n' when the vocabulary has it, else from id 0. */
export function promptIds(prompt: string, vocab: Vocab): Int32Array {
  if (prompt.length > 0) return encode(prompt, vocab).ids;
  const newline = vocab.index.get('\n');
  return Int32Array.of(newline ?? 0);
}

/** Generate text after a prompt; the engine crops the context to block_size, so any length works. */
export async function generate(
  engine: Engine,
  vocab: Vocab,
  prompt: string,
  maxNewTokens: number,
  opts: GenerateOptions & { rng?: Rng; onText?: (chunk: string) => void } = {},
): Promise<{ text: string; completion: string }> {
  const context = promptIds(prompt, vocab);
  const { onText, ...rest } = opts;
  const onToken = onText ? (id: number) => onText(decode([id], vocab)) : rest.onToken;
  const ids = await engine.generate(context, maxNewTokens, { ...rest, onToken });
  const completion = decode(ids.subarray(context.length), vocab);
  return { text: prompt + completion, completion };
}

/** Attention weights per layer and head for a prompt, with the characters that label the heatmap's axes. */
export async function attentionForPrompt(
  engine: Engine,
  vocab: Vocab,
  prompt: string,
): Promise<AttentionMaps & { labels: string[] }> {
  const maps = await engine.attention(promptIds(prompt, vocab));
  return { ...maps, labels: Array.from(maps.tokens, (id) => decode([id], vocab)) };
}

// ------------------------------------------------------------------------------------------ loop

/** Options of train(); everything but the data has a default from the engine's config. */
export interface TrainOptions extends TrainCallbacks {
  data: BatchSource;
  /** Train until this many steps are completed (default config.maxIters; resuming continues from stepCount). */
  maxIters?: number;
  evalInterval?: number;
  evalIters?: number;
  /** Learning rate per step (default: constant config.learningRate). */
  learningRate?: (step: number) => number;
  /** Generate a sample every this many steps (0 = never, the default). */
  sampleInterval?: number;
  samplePrompt?: string;
  sampleTokens?: number;
  sampleOptions?: GenerateOptions;
  /** Needed for samples. */
  vocab?: Vocab;
  /** Call onCheckpoint every this many steps (0 = never, the default). */
  checkpointInterval?: number;
  /** Convergence settings, or false to never check. */
  convergence?: Partial<ConvergenceOptions> | false;
  /** Return when converged (default true); otherwise report once and keep training. */
  stopOnConvergence?: boolean;
  /** Detector to continue (after a checkpoint restore); a new one is made otherwise. */
  detector?: ConvergenceDetector;
  control?: TrainingControl;
  /** Stops like control.stop() once aborted. */
  signal?: { readonly aborted: boolean };
}

/** A step submitted to the engine whose result is not reported yet. */
interface InFlight {
  /** Steps completed once it lands (the step's number, 1-based). */
  step: number;
  lr: number;
  tokens: number;
  result: Promise<StepResult>;
}

/** The stop message for a non-finite loss at step `badStep`, given the updates applied after it. */
export function nonFiniteMessage(
  loss: number,
  badStep: number,
  stepCount: number,
  stepsAfterBad: number,
): string {
  if (stepsAfterBad === 0) {
    return (
      `The loss became ${loss} at step ${badStep}; training stopped before that update, so the weights ` +
      `are those after step ${stepCount}. Try a lower learning rate.`
    );
  }
  const n = stepsAfterBad === 1 ? 'step' : 'steps';
  return (
    `The loss became ${loss} at step ${badStep}; training stopped, but the GPU had already run ` +
    `${stepsAfterBad} more ${n} queued behind it, so these weights are not kept (the last checkpoint is). ` +
    `Try a lower learning rate.`
  );
}

/** Milliseconds between two forced yields to the host's event loop. */
const YIELD_EVERY_MS = 20;

/**
 * A function that lets other tasks (worker messages, rendering) run at most every YIELD_EVERY_MS: a
 * setTimeout per step would cost ~4 ms each once browsers clamp nested timers, a lot for a 10 ms step.
 */
function hostYielder(): () => Promise<void> {
  let last = now();
  return async () => {
    if (now() - last < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    last = now();
  };
}

/** Train an engine: periodic loss estimates, samples and convergence checks; resolves with why it stopped. */
export async function train(engine: Engine, opts: TrainOptions): Promise<StopEvent> {
  const cfg: GPTConfig = engine.config;
  const maxIters = opts.maxIters ?? cfg.maxIters;
  const evalInterval = opts.evalInterval ?? cfg.evalInterval;
  const evalIters = opts.evalIters ?? cfg.evalIters;
  const lrAt = opts.learningRate ?? (() => cfg.learningRate);
  const control = opts.control ?? new TrainingControl();
  const detector =
    opts.convergence === false ? null : (opts.detector ?? new ConvergenceDetector(opts.convergence || {}));
  const stopOnConvergence = opts.stopOnConvergence ?? true;
  let convergenceReported = false;
  let lastLoss: number | null = null;
  let lastEvalStep = -1;
  const yieldToHost = hostYielder();
  /** Checked between batches of an estimate and between sampled tokens: Stop answers there too. */
  const stopRequested = async (): Promise<boolean> => {
    await yieldToHost();
    return control.stopped || (opts.signal?.aborted ?? false);
  };
  let firstStep = true;

  const finish = async (
    reason: StopReason,
    message: string,
    badLoss?: number,
    stepsAfterBad?: number,
  ): Promise<StopEvent> => {
    const e: StopEvent = { type: 'stop', reason, step: engine.stepCount, lastLoss, message };
    if (badLoss !== undefined) e.badLoss = badLoss;
    if (stepsAfterBad) e.stepsAfterBad = stepsAfterBad;
    await opts.onStop?.(e);
    return e;
  };

  /** Estimate the losses, report them, and return a convergence verdict if one is due ('stopped' if stopped). */
  const evaluate = async (): Promise<ConvergenceEvent | 'stopped' | null> => {
    const step = engine.stepCount;
    lastEvalStep = step;
    const losses = await estimateLoss(engine, opts.data, evalIters, {
      shouldStop: stopRequested,
      onProgress: (done, total) => opts.onPhase?.({ type: 'phase', phase: 'estimating', step, done, total }),
    });
    if (!losses) return 'stopped';
    const { train: trainLoss, val } = losses;
    await opts.onEval?.({ type: 'eval', step, train: trainLoss, val });
    if (!detector || convergenceReported) return null;
    const verdict = detector.update(step, val);
    if (verdict) {
      convergenceReported = true;
      await opts.onConvergence?.(verdict);
    }
    return verdict;
  };

  // The step pipeline: an engine with submitStep gets step n + 1 on its queue before step n's loss is
  // awaited (STEPS_IN_FLIGHT); any other engine runs one step at a time. Everything that reads the engine
  // (estimates, samples, checkpoints, pause, stop, the end) first drains the pipeline, so it sees weights
  // whose every step's loss is known finite.
  const depth = engine.submitStep ? STEPS_IN_FLIGHT : 1;
  const inflight: InFlight[] = [];
  /** Steps submitted (an engine's stepCount may count a step whose promise the loop has not awaited yet). */
  let submitted = engine.stepCount;

  /** Await the oldest step in flight and report it; a stop event when its loss is not finite. */
  const settle = async (): Promise<StopEvent | null> => {
    const f = inflight.shift()!;
    const r = await f.result;
    if (!r.finite) {
      // Steps submitted after it are already on the device's queue: let them finish so the weights are known.
      let advanced = 0;
      while (inflight.length) if ((await inflight.shift()!.result).finite) advanced++;
      return finish(
        'non-finite',
        nonFiniteMessage(r.loss, f.step, engine.stepCount, advanced),
        r.loss,
        advanced,
      );
    }
    lastLoss = r.loss;
    const e: StepEvent = {
      type: 'step',
      step: r.step,
      loss: r.loss,
      lr: f.lr,
      msPerStep: r.ms,
      tokensPerSec: r.ms > 0 ? (f.tokens / r.ms) * 1000 : Infinity,
    };
    if (r.gradNorm !== undefined) e.gradNorm = r.gradNorm;
    await opts.onStep?.(e);
    await yieldToHost();
    return null;
  };
  /** Settle every step in flight (the engine then holds the weights after the last reported step). */
  const drain = async (): Promise<StopEvent | null> => {
    while (inflight.length) {
      const bad = await settle();
      if (bad) return bad;
    }
    return null;
  };
  const checkpointInterval = opts.checkpointInterval ?? 0;
  let lastCheckpoint = engine.stepCount;
  const sampleInterval = opts.sampleInterval ?? 0;
  const sampleDue = (step: number): boolean =>
    sampleInterval > 0 && step > 0 && step % sampleInterval === 0 && opts.vocab !== undefined;
  const checkpointDue = (step: number): boolean =>
    checkpointInterval > 0 && opts.onCheckpoint !== undefined && step - lastCheckpoint >= checkpointInterval;

  for (;;) {
    const next = submitted; // the step to submit (every earlier one finite so far)
    if (next >= maxIters) break;
    const stopping = (): boolean => control.stopped || (opts.signal?.aborted ?? false);
    if (control.paused || stopping() || next % evalInterval === 0 || sampleDue(next) || checkpointDue(next)) {
      const bad = await drain();
      if (bad) return bad;
    }
    await control.waitWhilePaused();
    if (stopping()) return finish('stopped', 'Training stopped.');
    const step = submitted;

    if (step % evalInterval === 0) {
      const verdict = await evaluate();
      if (verdict === 'stopped') return finish('stopped', 'Training stopped.');
      if (verdict && stopOnConvergence) {
        return finish(
          'converged',
          `Converged at step ${step}: the best validation loss (${verdict.bestVal.toFixed(4)}) improved by ` +
            `${(verdict.relativeImprovement * 100).toFixed(2)}% over the last ${verdict.window} evaluations.`,
        );
      }
    }
    if (sampleDue(step)) {
      const prompt = opts.samplePrompt ?? '';
      await opts.onPhase?.({ type: 'phase', phase: 'sampling', step });
      const { text } = await generate(engine, opts.vocab!, prompt, opts.sampleTokens ?? 200, {
        seed: cfg.seed + step,
        ...opts.sampleOptions,
        shouldStop: stopRequested,
      });
      if (stopping()) return finish('stopped', 'Training stopped.');
      await opts.onSample?.({ type: 'sample', step, prompt, text });
    }
    if (checkpointDue(step)) {
      lastCheckpoint = step;
      await opts.onCheckpoint?.({ type: 'checkpoint-due', step });
    }
    if (firstStep) await opts.onPhase?.({ type: 'phase', phase: 'first-step', step });
    firstStep = false;

    const batch = await opts.data.getBatch('train');
    const lr = lrAt(step);
    const result = engine.submitStep
      ? engine.submitStep(batch, { learningRate: lr })
      : engine.step(batch, { learningRate: lr });
    result.catch(() => undefined); // a rejection surfaces when settled, not as an unhandled one meanwhile
    inflight.push({ step: step + 1, lr, tokens: batch.batchSize * batch.blockSize, result });
    submitted++;
    if (inflight.length >= depth) {
      const bad = await settle();
      if (bad) return bad;
    }
  }
  {
    const bad = await drain();
    if (bad) return bad;
  }
  if (lastEvalStep !== engine.stepCount && (await evaluate()) === 'stopped') {
    return finish('stopped', 'Training stopped.');
  }
  return finish('max-iters', `Finished ${engine.stepCount} ${engine.stepCount === 1 ? 'step' : 'steps'}.`);
}
