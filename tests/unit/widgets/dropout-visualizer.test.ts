import { describe, expect, it } from 'vitest';
import { dropout } from '../../../src/lib/dropout';
import { createRng } from '../../../src/lib/rng';
import * as model from '../../../components/widgets/dropout-visualizer/model';
import { parseNumber } from '../../../components/widgets/shared/parse';

describe('dropout visualizer model', () => {
  it('draws fixed, rounded weights row by row (more units keep the first rows)', () => {
    const w4 = model.layerWeights(4, 3);
    const w6 = model.layerWeights(6, 3);
    expect(w4).toHaveLength(4);
    expect(w4[0]).toHaveLength(3);
    expect(w6.slice(0, 4)).toEqual(w4);
    for (const w of w6.flat()) expect(w).toBe(model.round2(w));
    expect(model.layerWeights(4, 3)).toEqual(w4);
  });

  it('computes h = W·x', () => {
    expect(
      model.hiddenActivations(
        [
          [1, 2],
          [-1, 0.5],
        ],
        [2, 4],
      ),
    ).toEqual([10, 0]);
  });

  it('replays src/lib dropout: mask i of the stream is the i-th draw from createRng(seed)', () => {
    const h = [0.8, -1.2, 0.5, 2.0];
    const stream = new model.MaskStream(h, 0.5, 42);
    const rng = createRng(42);
    for (let i = 0; i < 5; i++) {
      const got = stream.draw();
      const want = dropout(h, 0.5, { rng });
      expect(got.mask).toEqual(want.mask);
      expect(got.output).toEqual(want.output);
      expect(got.scale).toBe(2);
    }
    expect(stream.count).toBe(5);
  });

  it('keeps running means that converge to the eval output (the expectation is unchanged)', () => {
    const h = [0.8, -1.2, 0.5, 2.0];
    const p = 0.3;
    const stream = new model.MaskStream(h, p, 7);
    stream.drawMany(20000);
    expect(stream.count).toBe(20000);
    const means = stream.means();
    h.forEach((v, i) => {
      // within 5 standard errors of h
      expect(Math.abs(means[i] - v)).toBeLessThan(5 * model.standardError(v, p, 20000) + 1e-12);
    });
    const shares = stream.keptShares();
    for (const s of shares) expect(Math.abs(s - (1 - p))).toBeLessThan(0.02);
  });

  it('means equal the mean of replayed outputs exactly', () => {
    const h = [1, -2, 3];
    const stream = new model.MaskStream(h, 0.25, 3);
    stream.drawMany(50);
    const rng = createRng(3);
    const sums = [0, 0, 0];
    for (let i = 0; i < 50; i++) dropout(h, 0.25, { rng }).output.forEach((v, j) => (sums[j] += v));
    stream.means().forEach((m, j) => expect(m).toBeCloseTo(sums[j] / 50, 12));
  });

  it('handles p = 0 and p = 1 at the edges', () => {
    const h = [1, -2];
    const keep = new model.MaskStream(h, 0, 1);
    keep.drawMany(10);
    expect(keep.means()).toEqual(h);
    expect(keep.last?.scale).toBe(1);
    const drop = new model.MaskStream(h, 1, 1);
    drop.drawMany(10);
    expect(drop.means()).toEqual([0, 0]);
    expect(drop.last?.scale).toBe(0);
    expect(model.standardError(1, 1, 10)).toBe(0);
    expect(new model.MaskStream(h, 0.5, 1).means()).toEqual([0, 0]);
  });

  it('standard error is |h|·√(p/(1−p))/√k', () => {
    expect(model.standardError(2, 0.5, 4)).toBeCloseTo(1, 12);
    expect(model.standardError(-2, 0.5, 4)).toBeCloseTo(1, 12);
  });

  it('reads the rate and rejects out-of-range, empty and NaN values with a message', () => {
    expect(parseNumber('0.14', model.RATE)).toEqual({ ok: true, value: 0.14 });
    expect(parseNumber(' 1 ', model.RATE)).toEqual({ ok: true, value: 1 });
    for (const bad of ['1.5', '-0.1', '', 'abc', 'NaN']) {
      const r = parseNumber(bad, model.RATE);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/^Dropout rate p must be a number from 0 to 1 \(/);
    }
  });

  it('reads whole numbers in range', () => {
    expect(parseNumber('4', model.UNITS)).toEqual({ ok: true, value: 4 });
    for (const bad of ['0', '9', '2.5', '', 'x']) expect(parseNumber(bad, model.UNITS).ok).toBe(false);
    const r = parseNumber('99', model.UNITS);
    expect(!r.ok && r.message).toBe('Hidden units must be a whole number from 1 to 8 (got “99”).');
    expect(parseNumber('-1', model.SEED).ok).toBe(false);
  });

  it('reads inputs: empty, non-numbers, too many and too large are refused', () => {
    expect(model.readInputs('1, 0.5, -0.8')).toEqual({ ok: true, value: [1, 0.5, -0.8] });
    expect(model.readInputs('').ok).toBe(false);
    expect(model.readInputs('1, NaN').ok).toBe(false);
    expect(model.readInputs('1,2,3,4,5,6,7').ok).toBe(false);
    const r = model.readInputs('1, 1000');
    expect(!r.ok && r.message).toMatch(/entry 2 \(1000\)/);
  });
});
