/**
 * The training cell's sentences, without the DOM: the progress line of a step, the notes' own messages and
 * convergence check for an evaluation (from `notesConvergenceCheck` in src/model/train.ts), and the advice
 * after a loss that is not a number. Unit-tested in tests/unit/widgets/training-cell.test.ts.
 */
import { notesConvergenceCheck } from '../../src/model/train';
import type { PhaseEvent } from '../../src/model/train';
import { formatEta } from '../../src/workers/protocol';

/** One log line and how it is styled. */
export interface LogLine {
  text: string;
  level: 'info' | 'warn' | 'error' | 'note';
}

/** The three lines the notes print at an evaluation, given every evaluation's train loss so far (last is new). */
export function notesEvalLines(step: number, train: number, val: number, trainLosses: number[]): LogLine[] {
  const lines: LogLine[] = [
    { text: `step: ${step}, train loss: ${train.toFixed(3)}, val loss: ${val.toFixed(3)}`, level: 'info' },
  ];
  const check = notesConvergenceCheck(trainLosses).at(-1);
  if (!check) return lines;
  const pct = check.percentageChange;
  lines.push({
    text: `Current train loss: ${train.toFixed(6)}, Loss difference: ${check.diff.toFixed(6)}, Percentage change: ${pct.toFixed(2)}%`,
    level: 'info',
  });
  if (check.converged) {
    lines.push({
      text:
        `Algorithm has converged at step ${step}. Loss percentage change is ${pct.toFixed(2)}%` +
        '   ← the notes’ check: it fires whenever the loss falls (a negative change is ≤ 1 %), so ignore it.',
      level: 'note',
    });
  }
  return lines;
}

/** Smoothed milliseconds per step (an exponential moving average over the steps of this run). */
export class StepTimer {
  private ema = 0;
  private count = 0;

  /** Add one step's time. */
  add(ms: number): void {
    this.ema = this.count ? 0.9 * this.ema + 0.1 * ms : ms;
    this.count++;
  }

  /** Start over (a new run). */
  reset(): void {
    this.ema = 0;
    this.count = 0;
  }

  /** Steps timed so far. */
  get steps(): number {
    return this.count;
  }

  /** The smoothed time of one step, in ms (0 before the first). */
  get msPerStep(): number {
    return this.ema;
  }
}

/** What the progress line needs from one step event. */
export interface StepFigures {
  step: number;
  loss: number;
  tokensPerSec: number;
  msPerStep: number;
}

/** The progress line after a step: step, loss, speed and time left. */
export function stepProgressText(e: StepFigures, maxIters: number, timer: StepTimer): string {
  const eta = ((maxIters - e.step) * timer.msPerStep) / 1000;
  return (
    `step ${e.step} / ${maxIters} · loss ${e.loss.toFixed(4)} · ` +
    `${Math.round(e.tokensPerSec).toLocaleString('en')} tokens/s · ${e.msPerStep.toFixed(0)} ms/step · ETA ${formatEta(eta)}`
  );
}

/** What to do after the loss turned NaN or infinite, naming the checkpoint that was kept (if any). */
export function nonFiniteAdvice(savedStep: string | undefined): string {
  const cause =
    'Training diverged: the loss is no longer a number, which almost always means the learning rate is too ' +
    'high for these weights.';
  return savedStep
    ? `${cause} The last good checkpoint (step ${savedStep}) was kept, not the broken weights: lower ` +
        `learning_rate (try a tenth of it) and press “Resume from step ${savedStep}”.`
    : `${cause} No checkpoint had been saved yet: lower learning_rate (try a tenth of it) and press Train.`;
}

/** The progress line while the loop is between steps: what runs now (so Stop's wait is explained). */
export function phaseText(e: PhaseEvent, backend: string | undefined): string {
  if (e.phase === 'estimating') return `Step ${e.step}: estimating loss ${e.done}/${e.total}…`;
  if (e.phase === 'sampling') return `Step ${e.step}: sampling…`;
  const gpu = backend === 'webgpu' || backend === 'webgl';
  return gpu
    ? `Step ${e.step + 1}: compiling kernels (the first step of a run builds the GPU programs)…`
    : `Step ${e.step + 1}: the first step…`;
}
