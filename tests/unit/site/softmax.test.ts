import { describe, expect, it } from 'vitest';
import { softmax } from '../../../src/lib/softmax';

describe('softmax(logits, temperature)', () => {
  it.each([
    { logits: [2, 1, 0.1], t: 1, weights: [0.6590011388859679, 0.2424329707047139, 0.09856589040931818] },
    { logits: [1000, 1000], t: 1, weights: [0.5, 0.5] },
    { logits: [1, 2, 3], t: 2, weights: [0.18632372, 0.30719589, 0.50648039] },
    { logits: [-Infinity, 0], t: 1, weights: [0, 1] },
  ])('softmax($logits, $t)', ({ logits, t, weights }) => {
    const s = softmax(logits, t);
    s.weights.forEach((w, i) => expect(w).toBeCloseTo(weights[i], 7));
    expect(s.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(s.max).toBe(Math.max(...s.scaled));
  });

  it('returns zeros for an all-masked row instead of NaN', () => {
    expect(softmax([-Infinity, -Infinity]).weights).toEqual([0, 0]);
  });

  it.each([
    [[], 1, /non-empty/],
    [[1], 0, /temperature must be/],
    [[1], -1, /temperature must be/],
    [[1], Number.NaN, /temperature must be/],
    [[1, Number.NaN], 1, /logits\[1\] is NaN/],
  ])('rejects logits=%j temperature=%d', (logits, t, message) => {
    expect(() => softmax(logits as number[], t as number)).toThrow(message);
  });
});
