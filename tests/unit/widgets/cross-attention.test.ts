import { describe, expect, it } from 'vitest';
import { crossAttentionDemo, MAX_WORDS } from '../../../components/widgets/cross-attention/model';

describe('crossAttentionDemo(target, source, seed)', () => {
  it('gives a (T, S) = (3, 4) weight matrix whose rows sum to 1 and equal softmax(q·k/√d)', () => {
    const r = crossAttentionDemo('I love apples', "j'aime les pommes", 3);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { targets, sources, stages } = r.demo;
    expect(targets).toEqual(['i', 'love', 'apples']);
    expect(sources).toEqual(['j', 'aime', 'les', 'pommes']); // the word tokenizer splits at the apostrophe
    expect(stages.weights).toHaveLength(3);
    for (const [i, row] of stages.weights.entries()) {
      expect(row).toHaveLength(4);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      const scores = stages.k.map((k) => k.reduce((a, kj, j) => a + kj * stages.q[i][j], 0) / 2); // √d = 2
      const m = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - m));
      const z = exps.reduce((a, b) => a + b, 0);
      row.forEach((w, j) => expect(w).toBeCloseTo(exps[j] / z, 12));
    }
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = crossAttentionDemo('a b', 'c d e', 1);
    const b = crossAttentionDemo('a b', 'c d e', 1);
    const c = crossAttentionDemo('a b', 'c d e', 2);
    expect(a).toEqual(b);
    expect(a.ok && c.ok && a.demo.stages.weights).not.toEqual(c.ok && c.demo.stages.weights);
  });

  it.each([
    ['', 'x', 1, /Target sentence: type at least one word/],
    ['x', '  ,, ', 1, /Source sentence: type at least one word/],
    [
      Array.from({ length: MAX_WORDS + 1 }, (_, i) => `w${i}`).join(' '),
      'x',
      1,
      /at most 12 words \(got 13\)/,
    ],
    ['x', 'y', Number.NaN, /Seed must be a whole number/],
    ['x', 'y', -1, /Seed must be a whole number/],
  ])('rejects target=%j source=%j seed=%d with a clear message', (target, source, seed, message) => {
    const r = crossAttentionDemo(target, source, seed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
