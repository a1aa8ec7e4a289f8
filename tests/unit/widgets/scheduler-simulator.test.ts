import { describe, expect, test } from 'vitest';
import { metricDomain } from '../../../components/widgets/scheduler-simulator/chart';
import * as sim from '../../../components/widgets/scheduler-simulator/model';
import { plateauSchedule } from '../../../src/lib/schedulers/plateau';
import { stepLRSchedule } from '../../../src/lib/schedulers/step';
import { cosineWithWarmupSchedule } from '../../../src/lib/schedulers/cosine-warmup';

const S: sim.PlateauSettings = {
  mode: 'min',
  factor: 0.1,
  patience: 10,
  threshold: 1e-4,
  thresholdMode: 'rel',
  cooldown: 0,
  minLr: 0,
};

describe('scheduler simulator model', () => {
  test('the chapter’s run: bad counts, cooldown and learning rates as in its table', () => {
    const run = sim.simulatePlateau(sim.CHAPTER_RUN.metrics, sim.CHAPTER_RUN.lr, sim.CHAPTER_RUN.settings);
    expect(run.map((e) => e.bad)).toEqual([0, 0, 0, 0, 1, 2, 3, 0, 0, 1, 2, 3, 0, 1, 2, 3]);
    expect(run[7].inCooldown).toBe(true);
    expect(run.map((e) => sim.fmtLr(e.lrAfter))).toEqual([
      ...Array(6).fill('0.1'),
      ...Array(5).fill('0.01'),
      ...Array(4).fill('0.001'),
      '0.0001',
    ]);
    expect(run.filter((e) => e.reduced).map((e) => e.epoch)).toEqual([7, 12, 16]);
    // the same learning rates as src/lib's plateauSchedule
    expect(run.map((e) => e.lrAfter)).toEqual(
      plateauSchedule([0.1], sim.CHAPTER_RUN.metrics, sim.CHAPTER_RUN.settings).map((l) => l[0]),
    );
    expect(sim.explain(run[6], sim.CHAPTER_RUN.settings)).toBe(
      'epoch 7: no improvement for 3 epochs > patience 2 → lr 0.1 → 0.01; cooldown for 1 epoch',
    );
    expect(sim.explain(run[15], sim.CHAPTER_RUN.settings)).toBe(
      'epoch 16: no improvement for 3 epochs > patience 2 → lr 0.001 → 0.0001; cooldown for 1 epoch',
    );
  });

  test('a reduction after patience + 1 bad epochs is explained in one sentence', () => {
    const metrics = [1, ...Array(11).fill(1.01)];
    const run = sim.simulatePlateau(metrics, 1e-3, S);
    const r = run.find((e) => e.reduced)!;
    expect(sim.explain(r, S)).toBe(
      'epoch 12: no improvement for 11 epochs > patience 10 → lr 0.001 → 0.0001',
    );
  });

  test('min_lr clamps a reduction and then blocks further ones', () => {
    const s = { ...S, patience: 0, minLr: 0.05 };
    const run = sim.simulatePlateau([1, 2, 2, 2], 0.1, s);
    expect(run[1].reduced).toBe(true);
    expect(sim.explain(run[1], s)).toContain('lr 0.1 → 0.05 (clamped to min_lr)');
    expect(run[2].blocked).toBe(true);
    expect(sim.explain(run[2], s)).toContain('lr stays 0.05 (already at min_lr 0.05)');
  });

  test('mode max counts a falling accuracy as bad', () => {
    const s = { ...S, mode: 'max' as const, patience: 1 };
    const run = sim.simulatePlateau([0.5, 0.6, 0.55, 0.54], 0.1, s);
    expect(run.map((e) => e.improved)).toEqual([true, true, false, false]);
    expect(run[3].reduced).toBe(true);
  });

  test('the live run is a real, seeded training run whose lr comes from the scheduler', () => {
    const s = { ...S, factor: 0.5, patience: 3 };
    const a = sim.liveRun(0.1, 30, { kind: 'plateau', settings: s });
    expect(a).toEqual(sim.liveRun(0.1, 30, { kind: 'plateau', settings: s }));
    expect(a.val).toHaveLength(30);
    expect(a.lrs).toEqual(a.plateau!.map((e) => e.lrBefore));
    expect(a.plateau!.some((e) => e.reduced)).toBe(true);
    // lowering the lr helps: the plateau run ends below the constant-lr run
    const c = sim.liveRun(0.1, 30, { kind: 'constant' });
    expect(a.val[29]).toBeLessThan(c.val[29]);
    expect(a.val[29]).toBeLessThan(a.val[0]);
    const st = sim.liveRun(0.1, 20, { kind: 'step', stepSize: 5, gamma: 0.5 });
    expect(st.lrs).toEqual(stepLRSchedule(0.1, 20, { stepSize: 5, gamma: 0.5 }));
    expect(sim.overlayLrs(0.1, 20, { kind: 'cosine', warmup: 3, minLr: 0 })).toEqual(
      cosineWithWarmupSchedule(20, { baseLr: 0.1, warmupSteps: 3, totalSteps: 20, minLr: 0 }),
    );
  });

  test('a too-large lr diverges and is reported, not thrown', () => {
    const r = sim.liveRun(1, 20, { kind: 'constant' });
    expect(r.divergedAt).not.toBeNull();
  });
});

describe('scheduler chart axis', () => {
  test.each([
    // cosine's warm-up spike (5.0) must not set the axis of the main curve (0.3 … 0.4)
    [[0.4, 0.35, 0.3], [[5, 0.5, 0.31]], [0.295, 0.405]],
    [[0.4, 0.35, 0.3], [], [0.295, 0.405]],
    [[2, 2], [], [1.9, 2.1]],
    [[], [[1, 3]], [0.9, 3.1]],
    [[NaN], [], [0, 1]],
  ])('main %j with overlays %j: %j', (main, overlays, want) => {
    const [lo, hi] = metricDomain(main, overlays);
    expect(lo).toBeCloseTo(want[0], 12);
    expect(hi).toBeCloseTo(want[1], 12);
  });
});
