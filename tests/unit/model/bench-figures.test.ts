import { describe, expect, it } from 'vitest';
import { benchTokens, median, timeSteps } from '../../../src/model/bench-figures';
import { makeConfig } from '../../../src/model/config';
import { createRng } from '../../../src/lib/rng';

describe('median', () => {
  it.each([
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('%j → %d', (xs, want) => expect(median(xs)).toBe(want));
});

describe('timeSteps', () => {
  it('reports the median step time, tokens/s from B·T, and the last loss', async () => {
    const cfg = makeConfig('tiny', { vocabSize: 11 });
    const ms = [30, 10, 20];
    const losses = [3, 2.5, 2];
    let i = 0;
    const engine = {
      step: async () => ({ ms: ms[i], loss: losses[i++] }) as never,
    };
    const r = await timeSteps(engine, cfg, benchTokens(11), createRng(1), 3);
    expect(r.msPerStep).toBe(20);
    expect(r.tokensPerSec).toBeCloseTo((cfg.batchSize * cfg.blockSize) / 0.02, 6);
    expect(r.finalLoss).toBe(2);
    expect(r.gflops).toBeGreaterThan(0);
  });

  it('draws token ids below the vocabulary size', () => {
    const t = benchTokens(7, 100);
    expect(t.length).toBe(100);
    expect(Math.max(...t)).toBeLessThan(7);
  });
});
