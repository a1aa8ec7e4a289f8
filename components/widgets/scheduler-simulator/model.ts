/**
 * Pure logic of the scheduler simulator (no DOM): ReduceLROnPlateau stepped through a metric series with
 * src/lib's plateauStep, a record of every epoch and a sentence for every reduction; and a real small
 * training run (linear regression by mini-batch SGD from src/lib/optimizers) whose learning rate each
 * epoch comes from a scheduler, so lowering the rate really changes the curve.
 */
import { createSgdState, sgdStep } from '../../../src/lib/optimizers';
import { createRng } from '../../../src/lib/rng';
import { cosineWithWarmup } from '../../../src/lib/schedulers/cosine-warmup';
import {
  createPlateauState,
  plateauStep,
  type PlateauConfig,
  type PlateauState,
} from '../../../src/lib/schedulers/plateau';
import { stepLR } from '../../../src/lib/schedulers/step';

/** The plateau settings the widget exposes (all required; PyTorch's eps = 1e-8 is fixed). */
export type PlateauSettings = Required<Omit<PlateauConfig, 'eps' | 'minLr'>> & { minLr: number };

/** One epoch of a ReduceLROnPlateau run. */
export interface PlateauEpoch {
  /** 1-based epoch. */
  epoch: number;
  metric: number;
  /** Learning rate used during this epoch. */
  lrBefore: number;
  /** Learning rate after scheduler.step(metric): the one the next epoch uses. */
  lrAfter: number;
  improved: boolean;
  inCooldown: boolean;
  /** Consecutive bad epochs counted at this step (before a reduction resets the count). */
  bad: number;
  /** Best metric after this step. */
  best: number;
  /** Did the lr drop at this step? */
  reduced: boolean;
  /** The count exceeded patience but the lr was already at min_lr (or the change was below eps). */
  blocked: boolean;
}

/** Shortest readable form of a learning rate: 0.1, 0.001, 1e-7. */
export function fmtLr(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/** torch's config from the widget's settings. */
export function toConfig(s: PlateauSettings): PlateauConfig {
  return { ...s };
}

/** One plateau step with the record of what happened. */
export function plateauEpoch(
  state: PlateauState,
  metric: number,
  s: PlateauSettings,
): { state: PlateauState; record: Omit<PlateauEpoch, 'epoch'> } {
  const step = plateauStep(state, metric, toConfig(s));
  const raw = step.improved ? 0 : state.numBadEpochs + 1;
  const bad = step.inCooldown ? 0 : raw;
  const reduced = step.reduced[0];
  return {
    state: step.state,
    record: {
      metric,
      lrBefore: state.lrs[0],
      lrAfter: step.state.lrs[0],
      improved: step.improved,
      inCooldown: step.inCooldown,
      bad,
      best: step.state.best,
      reduced,
      blocked: !reduced && bad > s.patience,
    },
  };
}

/** Step ReduceLROnPlateau through a whole metric series (n) from lr0. */
export function simulatePlateau(metrics: readonly number[], lr0: number, s: PlateauSettings): PlateauEpoch[] {
  let state = createPlateauState([lr0], toConfig(s));
  return metrics.map((m, i) => {
    const r = plateauEpoch(state, m, s);
    state = r.state;
    return { epoch: i + 1, ...r.record };
  });
}

/** The sentence explaining a reduction (or a reduction blocked by min_lr). */
export function explain(e: PlateauEpoch, s: PlateauSettings): string {
  const what = s.mode === 'min' ? 'no improvement' : 'no improvement (mode max)';
  const head = `epoch ${e.epoch}: ${what} for ${e.bad} epoch${e.bad === 1 ? '' : 's'} > patience ${s.patience}`;
  if (e.blocked) return `${head} → lr stays ${fmtLr(e.lrBefore)} (already at min_lr ${fmtLr(s.minLr)})`;
  const clamped = e.lrAfter > e.lrBefore * s.factor * (1 + 1e-12) ? ` (clamped to min_lr)` : '';
  const cool = s.cooldown > 0 ? `; cooldown for ${s.cooldown} epoch${s.cooldown === 1 ? '' : 's'}` : '';
  return `${head} → lr ${fmtLr(e.lrBefore)} → ${fmtLr(e.lrAfter)}${clamped}${cool}`;
}

/* ---------- a real small training run ---------- */

/** Which schedule sets each epoch's learning rate. */
export type Schedule =
  | { kind: 'plateau'; settings: PlateauSettings }
  | { kind: 'step'; stepSize: number; gamma: number }
  | { kind: 'cosine'; warmup: number; minLr: number }
  | { kind: 'constant' };

/** Size of the live run: a linear model with D weights on noisy data. */
export const LIVE = { dims: 8, trainRows: 256, valRows: 256, batch: 2, noise: 0.5, seed: 7 } as const;

/** Feature j is scaled by SCALES[j] (1 … 0.1): an ill-conditioned problem, slow along the small ones. */
const SCALES = Array.from({ length: LIVE.dims }, (_, j) => 1 - (0.9 * j) / (LIVE.dims - 1));

/** The live run's data (seeded): x_j ~ N(0, SCALES[j]²), w* ~ N(0, 1)^D, y = x·w* + N(0, noise²). */
export function liveData(seed: number = LIVE.seed) {
  const rng = createRng(seed);
  const wTrue = Array.from({ length: LIVE.dims }, () => rng.normal(0, 1));
  const make = (n: number) =>
    Array.from({ length: n }, () => {
      const x = SCALES.map((sc) => sc * rng.normal(0, 1));
      const y = x.reduce((s, v, j) => s + v * wTrue[j], 0) + rng.normal(0, LIVE.noise);
      return { x, y };
    });
  return { train: make(LIVE.trainRows), val: make(LIVE.valRows) };
}

type Row = { x: number[]; y: number };

function mse(w: readonly number[], rows: readonly Row[]): number {
  return (
    rows.reduce((s, r) => {
      const e = r.x.reduce((t, v, j) => t + v * w[j], 0) - r.y;
      return s + e * e;
    }, 0) / rows.length
  );
}

/** Result of a live run: validation MSE after each epoch and the lr used in it. */
export interface LiveRun {
  val: number[];
  lrs: number[];
  /** The plateau record per epoch (plateau schedule only). */
  plateau: PlateauEpoch[] | null;
  /** Epoch (1-based) at which the loss blew up (non-finite, or over DIVERGED × the loss of w = 0), or null; the run stops there. */
  divergedAt: number | null;
}

/**
 * Train w (zeros) by mini-batch SGD for `epochs` epochs (reshuffled by a seeded rng each epoch), with
 * the learning rate of each epoch from the schedule; the plateau schedule is stepped with each epoch's
 * validation MSE, exactly as scheduler.step(val_loss) after each epoch in PyTorch.
 */
/** A run counts as diverged once its validation loss exceeds this multiple of the loss at w = 0. */
export const DIVERGED = 1000;

export function liveRun(lr0: number, epochs: number, schedule: Schedule, seed: number = LIVE.seed): LiveRun {
  const { train, val } = liveData(seed);
  const rng = createRng(seed + 1);
  let w = new Array<number>(LIVE.dims).fill(0);
  let opt = createSgdState();
  let pState = schedule.kind === 'plateau' ? createPlateauState([lr0], toConfig(schedule.settings)) : null;
  const out: LiveRun = {
    val: [],
    lrs: [],
    plateau: schedule.kind === 'plateau' ? [] : null,
    divergedAt: null,
  };
  const order = train.map((_, i) => i);
  const start = mse(w, val);
  for (let e = 0; e < epochs; e++) {
    const lr = schedule.kind === 'plateau' ? pState!.lrs[0] : scheduledLr(lr0, e, epochs, schedule);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let b = 0; b < order.length; b += LIVE.batch) {
      const rows = order.slice(b, b + LIVE.batch).map((i) => train[i]);
      const grad = new Array<number>(LIVE.dims).fill(0);
      for (const r of rows) {
        const err = r.x.reduce((t, v, j) => t + v * w[j], 0) - r.y;
        r.x.forEach((v, j) => (grad[j] += (2 * err * v) / rows.length));
      }
      const s = sgdStep(w, grad, opt, { lr });
      w = s.params;
      opt = s.state;
    }
    const v = mse(w, val);
    out.lrs.push(lr);
    if (!(v <= DIVERGED * start) || w.some((x) => !Number.isFinite(x))) {
      out.divergedAt = e + 1;
      break;
    }
    out.val.push(v);
    if (pState && schedule.kind === 'plateau') {
      const r = plateauEpoch(pState, v, schedule.settings);
      pState = r.state;
      out.plateau!.push({ epoch: e + 1, ...r.record });
    }
  }
  return out;
}

/** The learning rate of a fixed schedule (step, cosine with warmup, or constant) in epoch e of `epochs`. */
export function scheduledLr(lr0: number, e: number, epochs: number, schedule: Schedule): number {
  if (schedule.kind === 'step') return stepLR(lr0, e, { stepSize: schedule.stepSize, gamma: schedule.gamma });
  if (schedule.kind === 'cosine') {
    return cosineWithWarmup(e, {
      baseLr: lr0,
      warmupSteps: schedule.warmup,
      totalSteps: epochs,
      minLr: schedule.minLr,
    });
  }
  return lr0;
}

/** Fixed-schedule learning rates per epoch for the comparison overlays, (epochs). */
export function overlayLrs(lr0: number, epochs: number, schedule: Schedule): number[] {
  return Array.from({ length: epochs }, (_, e) => scheduledLr(lr0, e, epochs, schedule));
}

/** The chapter's simulated run (16 epochs, lr 0.1, patience 2, cooldown 1, min_lr 1e-4). */
export const CHAPTER_RUN = {
  metrics: [2.0, 1.6, 1.45, 1.4, 1.41, 1.3999, 1.42, 1.43, 1.38, 1.39, 1.4, 1.41, 1.35, 1.36, 1.37, 1.38],
  lr: 0.1,
  settings: {
    mode: 'min',
    factor: 0.1,
    patience: 2,
    threshold: 1e-4,
    thresholdMode: 'rel',
    cooldown: 1,
    minLr: 1e-4,
  } as PlateauSettings,
};
