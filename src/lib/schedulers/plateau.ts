/**
 * ReduceLROnPlateau with torch.optim.lr_scheduler.ReduceLROnPlateau's exact semantics, as a pure state machine:
 * each step compares the metric with `best` (is_better with rel/abs thresholds), counts bad epochs, and once
 * numBadEpochs > patience multiplies every lr by factor (never below minLr, and only if the change exceeds
 * eps), then waits `cooldown` epochs during which bad epochs are not counted.
 * Difference: a NaN metric throws (PyTorch silently counts it as a bad epoch).
 */
import { checkNumber, checkRange, checkVector, fail } from '../validate';

/** Configuration, with PyTorch's defaults. */
export interface PlateauConfig {
  /** 'min': lower is better (a loss); 'max': higher is better (an accuracy). Default 'min'. */
  mode?: 'min' | 'max';
  /** lr multiplier on a plateau, < 1. Default 0.1. */
  factor?: number;
  /** Bad epochs tolerated before reducing. Default 10. */
  patience?: number;
  /** Significance threshold. Default 1e-4. */
  threshold?: number;
  /** 'rel': better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. Default 0. */
  cooldown?: number;
  /** Lower bound per parameter group (a number applies to all). Default 0. */
  minLr?: number | number[];
  /** Minimal lr change; smaller updates are skipped. Default 1e-8. */
  eps?: number;
}

/** Scheduler state (serializable). */
export interface PlateauState {
  /** Current lr per parameter group, (G). */
  lrs: number[];
  /** Best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
}

/** What one step did. */
export interface PlateauStep {
  /** The state after the step (the input state is not mutated). */
  state: PlateauState;
  /** Did the metric beat best by the threshold? */
  improved: boolean;
  /** Was the scheduler in cooldown at this step? */
  inCooldown: boolean;
  /** Per group: was its lr reduced at this step? (G). */
  reduced: boolean[];
}

/** The config with every default filled in, and minLr spread to one bound per group (G). */
type Resolved = Required<Omit<PlateauConfig, 'minLr'>> & { minLrs: number[] };

function resolve(fn: string, config: PlateauConfig, groups: number): Resolved {
  const mode = config.mode ?? 'min';
  if (mode !== 'min' && mode !== 'max') fail(fn, `mode must be 'min' or 'max', got ${String(mode)}`);
  const thresholdMode = config.thresholdMode ?? 'rel';
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
    fail(fn, `thresholdMode must be 'rel' or 'abs', got ${String(thresholdMode)}`);
  }
  const factor = config.factor ?? 0.1;
  checkRange(fn, 'factor', factor, 0, 1, { hiOpen: true });
  const patience = config.patience ?? 10;
  const cooldown = config.cooldown ?? 0;
  for (const [name, v] of [
    ['patience', patience],
    ['cooldown', cooldown],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) fail(fn, `${name} must be an integer >= 0, got ${v}`);
  }
  const threshold = config.threshold ?? 1e-4;
  checkNumber(fn, 'threshold', threshold);
  const eps = config.eps ?? 1e-8;
  checkNumber(fn, 'eps', eps);
  const minLr = config.minLr ?? 0;
  const minLrs = Array.isArray(minLr) ? minLr.slice() : new Array<number>(groups).fill(minLr);
  checkVector(fn, 'minLr', minLrs, groups);
  return { mode, factor, patience, threshold, thresholdMode, cooldown, minLrs, eps };
}

/** Initial state for parameter groups with learning rates lrs (G). */
export function createPlateauState(lrs: readonly number[], config: PlateauConfig = {}): PlateauState {
  checkVector('createPlateauState', 'lrs', lrs);
  const c = resolve('createPlateauState', config, lrs.length);
  return {
    lrs: lrs.slice(),
    best: c.mode === 'min' ? Infinity : -Infinity,
    numBadEpochs: 0,
    cooldownCounter: 0,
    lastEpoch: 0,
  };
}

/** torch's is_better(a, best) for the configured mode and threshold mode. */
function isBetter(c: Resolved, a: number, best: number): boolean {
  if (c.mode === 'min')
    return c.thresholdMode === 'rel' ? a < best * (1 - c.threshold) : a < best - c.threshold;
  return c.thresholdMode === 'rel' ? a > best * (c.threshold + 1) : a > best + c.threshold;
}

/** One scheduler step with an observed metric: returns the new state and what happened. */
export function plateauStep(state: PlateauState, metric: number, config: PlateauConfig = {}): PlateauStep {
  const fn = 'plateauStep';
  checkNumber(fn, 'metric', metric, true);
  checkVector(fn, 'state.lrs', state.lrs);
  const c = resolve(fn, config, state.lrs.length);
  const s: PlateauState = { ...state, lrs: state.lrs.slice(), lastEpoch: state.lastEpoch + 1 };
  const improved = isBetter(c, metric, s.best);
  if (improved) {
    s.best = metric;
    s.numBadEpochs = 0;
  } else s.numBadEpochs += 1;
  const inCooldown = s.cooldownCounter > 0;
  if (inCooldown) {
    s.cooldownCounter -= 1;
    s.numBadEpochs = 0; // bad epochs in cooldown are ignored
  }
  const reduced = s.lrs.map(() => false);
  if (s.numBadEpochs > c.patience) {
    s.lrs = s.lrs.map((old, i) => {
      const lr = Math.max(old * c.factor, c.minLrs[i]);
      if (old - lr > c.eps) {
        reduced[i] = true;
        return lr;
      }
      return old;
    });
    s.cooldownCounter = c.cooldown;
    s.numBadEpochs = 0;
  }
  return { state: s, improved, inCooldown, reduced };
}

/** Run a whole metric sequence (n) from fresh state: lr per group after each step, (n, G). */
export function plateauSchedule(
  lrs: readonly number[],
  metrics: readonly number[],
  config: PlateauConfig = {},
): number[][] {
  checkVector('plateauSchedule', 'metrics', metrics, undefined, true);
  let state = createPlateauState(lrs, config);
  return metrics.map((m) => {
    state = plateauStep(state, m, config).state;
    return state.lrs.slice();
  });
}
