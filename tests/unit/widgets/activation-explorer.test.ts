import { describe, expect, it } from 'vitest';
import { READOUT, fmt, parseNumber, parseNumberList } from '../../../components/widgets/shared/parse';
import {
  geluDerivative,
  leakyRelu,
  sigmoid,
  sigmoidDerivative,
  tanhDerivative,
} from '../../../src/lib/activations';
import * as model from '../../../components/widgets/activation-explorer/model';

describe('activation explorer model', () => {
  it('offers the six activations of src/lib, with the chosen Leaky ReLU slope', () => {
    const all = model.activations(0.2);
    expect(all.map((a) => a.id)).toEqual(['relu', 'leaky-relu', 'sigmoid', 'tanh', 'gelu', 'gelu-tanh']);
    const leaky = model.activation('leaky-relu', 0.2);
    expect(leaky.f(-3)).toBe(leakyRelu(-3, 0.2));
    expect(leaky.df(-3)).toBe(0.2);
    expect(leaky.df(0)).toBe(0.2); // PyTorch: slope at the kink
    expect(model.activation('relu', 0.01).df(0)).toBe(0);
    expect(model.activation('sigmoid', 0.01).f(2)).toBe(sigmoid(2));
    expect(() => model.activation('nope' as never, 0.01)).toThrow(RangeError);
  });

  it('samples curves evenly over the plotted range', () => {
    const c = model.sampleCurve((x) => 2 * x, -1, 1, 4);
    expect(c).toEqual([
      [-1, -2],
      [-0.5, -1],
      [0, 0],
      [0.5, 1],
      [1, 2],
    ]);
    expect(model.sampleCurve(sigmoid)).toHaveLength(241);
  });

  it('finds where sigmoid and tanh gradients vanish, matching the closed forms', () => {
    const s = model.vanishingIntervals(sigmoidDerivative, 0.01);
    // σ(1 − σ) = 0.01 at σ = (1 − √0.96)/2.
    const sig = (1 - Math.sqrt(0.96)) / 2;
    const edge = Math.log(sig / (1 - sig)); // ≈ −4.5747
    expect(s).toHaveLength(2);
    expect(s[0].openLeft).toBe(true);
    expect(s[0].to).toBeCloseTo(edge, 8);
    expect(s[1].from).toBeCloseTo(-edge, 8);
    expect(s[1].openRight).toBe(true);
    const t = model.vanishingIntervals(tanhDerivative, 0.01);
    expect(t[0].to).toBeCloseTo(-Math.atanh(Math.sqrt(0.99)), 8);
    expect(t[1].from).toBeCloseTo(Math.atanh(Math.sqrt(0.99)), 8);
  });

  it('ReLU vanishes for x ≤ 0 (dead side); Leaky ReLU only when its slope is below the threshold', () => {
    const r = model.vanishingIntervals(model.activation('relu', 0.01).df, 0.01);
    expect(r).toHaveLength(1);
    expect(r[0].from).toBe(model.X_MIN);
    expect(Math.abs(r[0].to)).toBeLessThan(1e-8);
    expect(model.describeIntervals(r, 0.01)).toBe(
      `|f′(x)| < 0.01 for x ≤ 0.00 (within the plotted range ${model.X_MIN} to ${model.X_MAX}).`,
    );
    expect(model.vanishingIntervals(model.activation('leaky-relu', 0.01).df, 0.01)).toEqual([]);
    expect(model.vanishingIntervals(model.activation('leaky-relu', 0.005).df, 0.01)).toHaveLength(1);
  });

  it('GELU has a narrow vanishing band around its minimum near x ≈ −0.75', () => {
    const g = model.vanishingIntervals((x) => geluDerivative(x), 0.01);
    expect(g).toHaveLength(2);
    expect(g[0].openLeft).toBe(true);
    const band = g[1];
    expect(band.from).toBeGreaterThan(-0.8);
    expect(band.to).toBeLessThan(-0.7);
    expect(Math.abs(geluDerivative(band.from))).toBeCloseTo(0.01, 6);
    expect(Math.abs(geluDerivative(band.to))).toBeCloseTo(0.01, 6);
    expect(model.describeIntervals(g, 0.01)).toMatch(/x ≤ -3\.\d\d and -0\.7\d ≤ x ≤ -0\.7\d/);
  });

  it('agrees with a brute-force scan of |f′| < threshold', () => {
    for (const a of model.activations(0.01)) {
      const ivs = model.vanishingIntervals(a.df, 0.05);
      for (let i = 0; i <= 997; i++) {
        const x = model.X_MIN + ((model.X_MAX - model.X_MIN) * (i + 0.37)) / 998;
        const inside = ivs.some((iv) => x >= iv.from - 1e-6 && x <= iv.to + 1e-6);
        expect(inside, `${a.id} at ${x}`).toBe(Math.abs(a.df(x)) < 0.05);
      }
    }
  });

  it('describes no vanishing region and the whole range', () => {
    expect(model.describeIntervals([], 0.01)).toMatch(/at least 0.01 everywhere/);
    expect(
      model.describeIntervals([{ from: model.X_MIN, to: model.X_MAX, openLeft: true, openRight: true }], 0.5),
    ).toMatch(/every x from/);
  });

  it('formats values like the readout', () => {
    expect(fmt(0.5, READOUT)).toBe('0.5000');
    expect(fmt(-0.00001, READOUT)).toBe('-1.000e-5');
    expect(fmt(0, READOUT)).toBe('0.0000');
    expect(fmt(-0, READOUT)).toBe('0.0000');
    expect(fmt(NaN, READOUT)).toBe('NaN');
  });

  it('reads numbers in range and explains bad ones', () => {
    expect(parseNumber('1.5', model.RULES.x)).toEqual({ ok: true, value: 1.5 });
    const r = parseNumber('99', model.RULES.x);
    expect(!r.ok && r.message).toBe('x must be a number from -6 to 6 (got “99”).');
    for (const bad of ['abc', 'NaN', 'Infinity']) {
      const b = parseNumber(bad, model.RULES.x);
      expect(!b.ok && b.message).toBe(`x must be a number from -6 to 6 (got “${bad}”).`);
    }
    expect(parseNumber('', model.RULES.x)).toEqual({
      ok: false,
      message: 'x must be a number from -6 to 6 (it is empty).',
    });
  });

  it('reads the scores with their bounds', () => {
    expect(parseNumberList('1, 2000', model.SCORES)).toEqual({
      ok: false,
      message: 'Scores: entry 2 (2000) must be between −1000 and 1000.',
    });
  });
});
