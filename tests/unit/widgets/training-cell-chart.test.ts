import { describe, expect, it } from 'vitest';
import { heatmapLabel, stepTicks } from '../../../components/training-cell/chart';

describe('training cell chart', () => {
  it.each([
    // a reload restored at step 0 or 1 used to tick 0.0, 0.1 … 1.0
    [0, [0, 1]],
    [1, [0, 1]],
    [3, [0, 1, 2, 3]],
    [50, [0, 10, 20, 30, 40, 50]],
    [2000, [0, 500, 1000, 1500, 2000]],
  ])('step ticks up to %d are whole steps: %j', (last, want) => {
    expect(stepTicks(last)).toEqual(want);
  });

  it.each([
    [' ', '␣'], // not U+2420 ␠, which DejaVu Sans lacks (drawn as a box)
    ['\n', '⏎'],
    ['\t', '⇥'],
    ['a', 'a'],
  ])('heatmap label of %j is %j', (c, want) => {
    expect(heatmapLabel(c)).toBe(want);
    // no Control Pictures other than ␣ (U+2423): DejaVu Sans has none of them
    expect(heatmapLabel(c)).not.toMatch(/[\u2400-\u2422\u2424-\u2426]/u);
  });
});
