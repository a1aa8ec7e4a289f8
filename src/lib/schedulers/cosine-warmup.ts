/**
 * Cosine decay with linear warmup: lr rises linearly from 0 to baseLr over warmupSteps, then follows
 * minLr + (baseLr − minLr)·½(1 + cos(π·progress)) down to minLr at totalSteps, and stays there.
 * With warmupSteps = 0 it equals torch's CosineAnnealingLR(T_max = totalSteps, eta_min = minLr).
 */
import { checkInt, checkRange, fail } from '../validate';

/** Cosine-with-warmup configuration. */
export interface CosineWarmupConfig {
  baseLr: number;
  warmupSteps: number;
  totalSteps: number;
  minLr?: number;
}

/** Learning rate at step (>= 0): linear warmup from 0, then cosine decay to minLr. */
export function cosineWithWarmup(step: number, config: CosineWarmupConfig): number {
  const fn = 'cosineWithWarmup';
  checkInt(fn, 'step', step, 0);
  const { baseLr, warmupSteps, totalSteps } = config;
  const minLr = config.minLr ?? 0;
  checkRange(fn, 'baseLr', baseLr, 0, Infinity, { hiOpen: true });
  checkRange(fn, 'minLr', minLr, 0, baseLr);
  checkInt(fn, 'warmupSteps', warmupSteps, 0);
  checkInt(fn, 'totalSteps', totalSteps, 1);
  if (warmupSteps >= totalSteps)
    fail(fn, `warmupSteps must be < totalSteps=${totalSteps}, got ${warmupSteps}`);
  if (step < warmupSteps) return (baseLr * step) / warmupSteps;
  if (step >= totalSteps) return minLr;
  const progress = (step - warmupSteps) / (totalSteps - warmupSteps);
  return minLr + (baseLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** Learning rates for steps 0..steps−1, (steps). */
export function cosineWithWarmupSchedule(steps: number, config: CosineWarmupConfig): number[] {
  checkInt('cosineWithWarmupSchedule', 'steps', steps, 1);
  return Array.from({ length: steps }, (_, s) => cosineWithWarmup(s, config));
}
