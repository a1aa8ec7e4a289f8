import { describe, expect, test } from 'vitest';
import { createRng } from '../../../src/lib/rng';
import {
  sampleFromLogits,
  sampleToken,
  samplingDistribution,
  type SampleOptions,
} from '../../../src/lib/sampling';
import { expectClose } from '../helpers/close';

const logits = [2, 1, 0, -1];
const softmax = (xs: number[]): number[] => {
  const e = xs.map((x) => Math.exp(x - Math.max(...xs)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};

describe('samplingDistribution(logits, opts)', () => {
  test.each<[string, SampleOptions, number[]]>([
    ['temperature 1 is the softmax', {}, softmax(logits)],
    ['temperature 0.5 sharpens', { temperature: 0.5 }, softmax(logits.map((x) => x / 0.5))],
    ['temperature 0 is greedy', { temperature: 0 }, [1, 0, 0, 0]],
    ['top-k 2 keeps the two most likely', { topK: 2 }, [...softmax([2, 1]), 0, 0]],
    ['top-p 0.7 keeps the smallest set reaching 70 %', { topP: 0.7 }, [...softmax([2, 1]), 0, 0]],
    ['top-p tiny keeps at least one token', { topP: 1e-9 }, [1, 0, 0, 0]],
    ['top-k 3 and top-p 0.99 combine', { topK: 3, topP: 0.99 }, [...softmax([2, 1, 0]), 0]],
  ])('%s', (_label, opts, expected) => {
    expectClose(Array.from(samplingDistribution(logits, opts)), expected, 1e-12, 1e-12);
  });

  test.each<[SampleOptions, RegExp]>([
    [{ temperature: -1 }, /temperature/],
    [{ temperature: NaN }, /temperature/],
    [{ topK: 1.5 }, /topK/],
    [{ topP: 0 }, /topP/],
    [{ topP: 1.5 }, /topP/],
  ])('rejects %j', (opts, message) => {
    expect(() => samplingDistribution(logits, opts)).toThrow(message);
  });
});

describe('sampleToken(logits, rng, opts)', () => {
  test('draws with the distribution’s frequencies', () => {
    const rng = createRng(11);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, rng)]++;
    expectClose(
      counts.map((c) => c / 20000),
      softmax(logits),
      0,
      0.015,
    );
  });

  test('never draws a filtered token and is reproducible from the seed', () => {
    const a = Array.from({ length: 200 }, (_, i) => sampleToken(logits, createRng(i), { topK: 2 }));
    expect(a.every((t) => t === 0 || t === 1)).toBe(true);
    const b = Array.from({ length: 200 }, (_, i) => sampleToken(logits, createRng(i), { topK: 2 }));
    expect(b).toEqual(a);
  });
});

describe('one sampler for the lesson and the capstone', () => {
  // p = [0.5, 0.3, 0.2]: top-k 2 keeps [0.5, 0.3], renormalised [0.625, 0.375]; top-p 0.6 then keeps one token.
  // The capstone's old copy applied top-p to the un-renormalised 0.5 and kept two.
  const logits = [0.5, 0.3, 0.2].map(Math.log);

  test('top-k 2 then top-p 0.6 keeps one token in both entry points', () => {
    expectClose(Array.from(samplingDistribution(logits, { topK: 2, topP: 0.6 })), [1, 0, 0], 1e-12, 1e-12);
    expect(sampleFromLogits(logits, { topK: 2, topP: 0.6 }).kept).toEqual([0]);
  });

  test('the two entry points give the same distribution', () => {
    const cases: SampleOptions[] = [{ topK: 2 }, { topP: 0.9 }, { temperature: 0.7, topK: 3, topP: 0.8 }];
    for (const opts of cases) {
      const lesson = sampleFromLogits(logits, { ...opts }).filteredProbs;
      expectClose(Array.from(samplingDistribution(logits, opts)), lesson, 1e-12, 1e-12);
    }
  });
});
