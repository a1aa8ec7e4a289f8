import { describe, expect, it } from 'vitest';
import * as lib from '../../../src/lib/index';
import * as activations from '../../../src/lib/activations';
import { expectClose } from '../helpers/close';
import { cases, loadGolden } from '../helpers/golden';

const g = loadGolden('activations');

describe('activations and derivatives against torch autograd (float64)', () => {
  const names: lib.ActivationName[] = ['relu', 'leaky-relu', 'sigmoid', 'tanh', 'gelu', 'gelu-tanh'];
  it.each(names)('%s', (name) => {
    const r = lib.applyActivation(name, g.xs);
    expect(r.input).toEqual(g.xs);
    // atol 1e-15: PyTorch computes GELU as ½x(1 + erf(x/√2)), which cancels in the far negative tail
    // (|GELU(−8)| ≈ 5e-15 with only ~2 correct digits, GELU(−30) = 0); ours uses erfc and stays accurate there.
    expectClose(r.output, g.functions[name].output, 1e-10, 1e-15);
    expectClose(r.derivative, g.functions[name].derivative, 1e-10, 1e-15);
  });

  it('leaky ReLU with slope 0.2', () => {
    expectClose(
      g.xs.map((x: number) => lib.leakyRelu(x, 0.2)),
      g.functions['leaky-relu-0.2'].output,
      1e-15,
    );
    expectClose(
      g.xs.map((x: number) => lib.leakyReluDerivative(x, 0.2)),
      g.functions['leaky-relu-0.2'].derivative,
      1e-15,
    );
  });

  it('kinks follow PyTorch: ReLU′(0) = 0, LeakyReLU′(0) = slope', () => {
    expect(lib.ACTIVATIONS.relu.df(0)).toBe(0);
    expect(lib.leakyReluDerivative(0, 0.1)).toBe(0.1);
    expect(lib.relu(-0)).toBe(0);
  });

  it('sigmoid and GELU stay finite and exact in the tails', () => {
    expect(lib.sigmoid(-1000)).toBe(0);
    expect(lib.sigmoid(1000)).toBe(1);
    expect(lib.gelu(-30)).toBeLessThan(0); // −1.47e-196: not lost to cancellation
    expect(lib.gelu(-Infinity)).toBe(0);
    expect(lib.gelu(Infinity)).toBe(Infinity);
    expect(lib.geluDerivative(Infinity)).toBe(1);
    expect(lib.geluDerivative(-Infinity)).toBe(0);
  });
});

describe('softmax (the existing softmax.ts) and its derivative', () => {
  it.each(cases(g.softmax))('logits $logits at T=$temperature', (c) => {
    const s = lib.softmax(c.logits, c.temperature);
    expectClose(s.weights, c.weights, 1e-12, 1e-300);
    expectClose(lib.softmaxJacobian(s.weights), c.jacobian, 1e-10, 1e-300);
    expectClose(lib.softmaxBackward(s.weights, c.gradOutput), c.backward, 1e-10, 1e-300);
  });

  it('is re-exported by activations unchanged', () => {
    expect(activations.softmax).toBe(lib.softmax);
  });
});

describe('activations: bad input', () => {
  it.each([
    ['relu NaN', () => lib.relu(NaN), /relu: x must be a number, got NaN/],
    [
      'gelu approx',
      () => lib.gelu(1, 'erf' as 'none'),
      /gelu: approximate must be 'none' or 'tanh', got erf/,
    ],
    [
      'geluDerivative approx',
      () => lib.geluDerivative(1, 'x' as 'none'),
      /geluDerivative: approximate must be/,
    ],
    ['leaky slope NaN', () => lib.leakyRelu(1, NaN), /leakyRelu: negativeSlope must be a number, got NaN/],
    [
      'apply unknown',
      () => lib.applyActivation('swish' as lib.ActivationName, [1]),
      /applyActivation: name must be one of relu/,
    ],
    ['apply empty', () => lib.applyActivation('relu', []), /applyActivation: xs must be a non-empty array/],
    ['apply NaN', () => lib.applyActivation('tanh', [0, NaN]), /xs\[1\] must be a number, got NaN/],
    ['jacobian empty', () => lib.softmaxJacobian([]), /softmaxJacobian: weights must be a non-empty array/],
    [
      'backward length',
      () => lib.softmaxBackward([0.5, 0.5], [1]),
      /softmaxBackward: gradOutput must have length 2, got 1/,
    ],
    [
      'softmax temperature',
      () => lib.softmax([1], 0),
      /softmax: temperature must be a finite number > 0, got 0/,
    ],
  ])('%s', (_n, f, msg) => {
    expect(f).toThrow(msg);
  });
});
