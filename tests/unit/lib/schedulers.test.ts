import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('schedulers');

describe('ReduceLROnPlateau against torch.optim.lr_scheduler.ReduceLROnPlateau', () => {
  it.each(cases(g.plateau))('config $config', (c) => {
    expectClose(lib.plateauSchedule(c.initialLrs, c.metrics, c.config as lib.PlateauConfig), c.lrs, 1e-15, 0);
  });

  it('exposes best, bad epochs, cooldown and which groups were reduced', () => {
    const cfg: lib.PlateauConfig = { patience: 1, cooldown: 1, factor: 0.5 };
    let s = lib.createPlateauState([1], cfg);
    expect(s).toEqual({ lrs: [1], best: Infinity, numBadEpochs: 0, cooldownCounter: 0, lastEpoch: 0 });
    const trace = [5, 6, 7, 8, 9].map((m) => {
      const r = lib.plateauStep(s, m, cfg);
      s = r.state;
      return [r.improved, r.inCooldown, r.reduced[0], s.numBadEpochs, s.cooldownCounter, s.lrs[0]];
    });
    expect(trace).toEqual([
      [true, false, false, 0, 0, 1],
      [false, false, false, 1, 0, 1],
      [false, false, true, 0, 1, 0.5],
      [false, true, false, 0, 0, 0.5],
      [false, false, false, 1, 0, 0.5],
    ]);
    expect(s.best).toBe(5);
    expect(s.lastEpoch).toBe(5);
  });

  it('accepts ±Infinity metrics like PyTorch', () => {
    expect(lib.plateauStep(lib.createPlateauState([1]), Infinity).improved).toBe(false);
    expect(
      lib.plateauStep(lib.createPlateauState([1], { mode: 'max' }), Infinity, { mode: 'max' }).improved,
    ).toBe(true);
  });

  it.each([
    [
      'factor >= 1',
      () => lib.createPlateauState([1], { factor: 1 }),
      /createPlateauState: factor must be in \[0, 1\), got 1/,
    ],
    ['mode', () => lib.createPlateauState([1], { mode: 'up' as 'min' }), /mode must be 'min' or 'max'/],
    [
      'threshold mode',
      () => lib.createPlateauState([1], { thresholdMode: 'x' as 'rel' }),
      /thresholdMode must be 'rel' or 'abs'/,
    ],
    [
      'patience',
      () => lib.createPlateauState([1], { patience: -1 }),
      /patience must be an integer >= 0, got -1/,
    ],
    [
      'cooldown',
      () => lib.createPlateauState([1], { cooldown: 0.5 }),
      /cooldown must be an integer >= 0, got 0.5/,
    ],
    ['minLr groups', () => lib.createPlateauState([1, 2], { minLr: [0] }), /minLr must have length 2, got 1/],
    [
      'NaN metric',
      () => lib.plateauStep(lib.createPlateauState([1]), NaN),
      /plateauStep: metric must be a number, got NaN/,
    ],
    ['no lrs', () => lib.createPlateauState([]), /lrs must be a non-empty array/],
    ['threshold NaN', () => lib.createPlateauState([1], { threshold: NaN }), /threshold must be a number/],
    ['eps NaN', () => lib.createPlateauState([1], { eps: NaN }), /eps must be a number/],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});

describe('StepLR and cosine with warmup against PyTorch', () => {
  it.each(cases(g.step))('StepLR step_size=$stepSize gamma=$gamma', (c) => {
    expectClose(
      lib.stepLRSchedule(c.baseLr, c.lrs.length, { stepSize: c.stepSize, gamma: c.gamma }),
      c.lrs,
      1e-12,
      0,
    );
  });

  it.each(cases(g.cosine))('warmup $warmupSteps, total $totalSteps, min $minLr', (c) => {
    const cfg = { baseLr: c.baseLr, warmupSteps: c.warmupSteps, totalSteps: c.totalSteps, minLr: c.minLr };
    // CosineAnnealingLR is recursive in PyTorch: agreement to float rounding, hence the small atol.
    expectClose(lib.cosineWithWarmupSchedule(c.lrs.length, cfg), c.lrs, 1e-10, 1e-15);
  });

  it('warmup rises linearly from 0, peaks at baseLr, ends at minLr', () => {
    const cfg = { baseLr: 1, warmupSteps: 4, totalSteps: 8, minLr: 0.1 };
    expect([0, 1, 2, 3, 4].map((s) => lib.cosineWithWarmup(s, cfg))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expectClose(lib.cosineWithWarmup(6, cfg), 0.55, 1e-15);
    expect(lib.cosineWithWarmup(8, cfg)).toBe(0.1);
    expect(lib.cosineWithWarmup(100, cfg)).toBe(0.1);
    expect(lib.stepLR(1, 5, { stepSize: 2 })).toBeCloseTo(0.01, 15);
  });

  it.each([
    [
      'stepSize 0',
      () => lib.stepLR(0.1, 1, { stepSize: 0 }),
      /stepLR: stepSize must be an integer >= 1, got 0/,
    ],
    [
      'negative epoch',
      () => lib.stepLR(0.1, -1, { stepSize: 1 }),
      /stepLR: epoch must be an integer >= 0, got -1/,
    ],
    ['baseLr NaN', () => lib.stepLR(NaN, 1, { stepSize: 1 }), /baseLr must be a number, got NaN/],
    ['gamma NaN', () => lib.stepLR(1, 1, { stepSize: 1, gamma: NaN }), /gamma must be a number, got NaN/],
    [
      'schedule epochs',
      () => lib.stepLRSchedule(1, 0, { stepSize: 1 }),
      /stepLRSchedule: epochs must be an integer >= 1/,
    ],
    [
      'warmup >= total',
      () => lib.cosineWithWarmup(0, { baseLr: 1, warmupSteps: 5, totalSteps: 5 }),
      /warmupSteps must be < totalSteps=5, got 5/,
    ],
    [
      'minLr > base',
      () => lib.cosineWithWarmup(0, { baseLr: 1, warmupSteps: 0, totalSteps: 5, minLr: 2 }),
      /minLr must be in \[0, 1\], got 2/,
    ],
    [
      'negative base',
      () => lib.cosineWithWarmup(0, { baseLr: -1, warmupSteps: 0, totalSteps: 5 }),
      /baseLr must be in \[0, Infinity\), got -1/,
    ],
    [
      'steps',
      () => lib.cosineWithWarmupSchedule(0, { baseLr: 1, warmupSteps: 0, totalSteps: 5 }),
      /steps must be an integer >= 1/,
    ],
  ])('rejects %s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
