import { describe, expect, it } from 'vitest';
import { createRng, sampleFromLogits } from '../../../src/lib/index';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('sampling');

describe('sampling stages against a torch reference (given uniform draws)', () => {
  it.each(cases(g.cases))('T=$temperature topK=$topK topP=$topP logits=$logits', (c) => {
    const opts = { temperature: c.temperature, topK: c.topK ?? undefined, topP: c.topP ?? undefined };
    const base = sampleFromLogits(c.logits, opts);
    expectClose(base.scaled, c.scaled, 1e-15);
    expectClose(base.probs, c.probs, 1e-12, 1e-300);
    expect(base.ranking).toEqual(c.ranking);
    expect(base.kept).toEqual(c.kept);
    expectClose(base.filteredProbs, c.filteredProbs, 1e-12, 1e-300);
    expect(base.sample).toBeNull();
    expect(c.uniforms.map((u: number) => sampleFromLogits(c.logits, { ...opts, uniform: u }).sample)).toEqual(
      c.samples,
    );
  });
});

describe('sampling behaviour', () => {
  it('top-p always keeps at least the most likely token, and top-k ties go to lower indices', () => {
    expect(sampleFromLogits([0, 5, 1], { topP: 1e-9 }).kept).toEqual([1]);
    expect(sampleFromLogits([2, 2, 2], { topK: 2 }).kept).toEqual([0, 1]);
  });

  it('is deterministic for a seed and follows the probabilities', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 50 }, () => sampleFromLogits([1, 2, 3], { rng }).sample);
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
    const rng = createRng(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 6000; i++) counts[sampleFromLogits([1, 2, 3], { rng }).sample!]++;
    const p = sampleFromLogits([1, 2, 3]).probs;
    counts.forEach((c, i) => expect(Math.abs(c / 6000 - p[i])).toBeLessThan(0.025));
  });

  it('a given uniform wins over the rng, and the uniform is reported', () => {
    const rng = createRng(1);
    const r = sampleFromLogits([0, 0], { uniform: 0.75, rng });
    expect([r.uniform, r.sample]).toEqual([0.75, 1]);
  });

  it.each([
    ['temperature 0', { temperature: 0 }, /sampleFromLogits: temperature must be in \(0, Infinity\), got 0/],
    ['temperature negative', { temperature: -1 }, /temperature must be in \(0, Infinity\), got -1/],
    ['topK 0', { topK: 0 }, /topK must be an integer in \[1, 3\], got 0/],
    ['topK too big', { topK: 4 }, /topK must be an integer in \[1, 3\], got 4/],
    ['topP 0', { topP: 0 }, /topP must be in \(0, 1\], got 0/],
    ['topP > 1', { topP: 1.1 }, /topP must be in \(0, 1\], got 1.1/],
    ['uniform 1', { uniform: 1 }, /uniform must be in \[0, 1\), got 1/],
    ['rng', { rng: {} as never }, /rng must be an Rng/],
  ])('rejects %s', (_n, opts, msg) => {
    expect(() => sampleFromLogits([1, 2, 3], opts)).toThrow(msg);
  });

  it('rejects NaN and empty logits', () => {
    expect(() => sampleFromLogits([1, NaN])).toThrow(/logits\[1\] must be a number, got NaN/);
    expect(() => sampleFromLogits([])).toThrow(/logits must be a non-empty array/);
  });
});
