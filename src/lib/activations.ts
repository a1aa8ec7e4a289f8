/**
 * Activation functions and their derivatives, scalar → scalar (softmax: vector → vector), matching PyTorch's
 * autograd at the kinks: ReLU'(0) = 0, LeakyReLU'(0) = negativeSlope. `applyActivation` maps a whole array.
 */
import { erfc } from './special';
import type { Matrix } from './matrix';
import { checkNumber, checkVector, fail } from './validate';

export { softmax, type SoftmaxStages } from './softmax';

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const GELU_TANH_C = 0.044715;

/** ReLU: max(0, x). */
export function relu(x: number): number {
  checkNumber('relu', 'x', x, true);
  return x > 0 ? x : 0;
}

/** d/dx ReLU: 1 for x > 0, else 0 (0 at x = 0, as PyTorch). */
export function reluDerivative(x: number): number {
  checkNumber('reluDerivative', 'x', x, true);
  return x > 0 ? 1 : 0;
}

/** Leaky ReLU: x for x > 0, negativeSlope·x otherwise (PyTorch default slope 0.01). */
export function leakyRelu(x: number, negativeSlope = 0.01): number {
  checkNumber('leakyRelu', 'x', x, true);
  checkNumber('leakyRelu', 'negativeSlope', negativeSlope);
  return x > 0 ? x : negativeSlope * x;
}

/** d/dx Leaky ReLU: 1 for x > 0, negativeSlope otherwise (including x = 0, as PyTorch). */
export function leakyReluDerivative(x: number, negativeSlope = 0.01): number {
  checkNumber('leakyReluDerivative', 'x', x, true);
  checkNumber('leakyReluDerivative', 'negativeSlope', negativeSlope);
  return x > 0 ? 1 : negativeSlope;
}

/** Sigmoid 1/(1 + e^{−x}), computed without overflow for large |x|. */
export function sigmoid(x: number): number {
  checkNumber('sigmoid', 'x', x, true);
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** d/dx sigmoid: σ(x)(1 − σ(x)). */
export function sigmoidDerivative(x: number): number {
  const s = sigmoid(x);
  return s * (1 - s);
}

/** Hyperbolic tangent. */
export function tanh(x: number): number {
  checkNumber('tanh', 'x', x, true);
  return Math.tanh(x);
}

/** d/dx tanh: 1 − tanh²(x). */
export function tanhDerivative(x: number): number {
  const t = tanh(x);
  return 1 - t * t;
}

/** GELU variants: 'none' is the exact x·Φ(x) (PyTorch default), 'tanh' the tanh approximation. */
export type GeluApproximation = 'none' | 'tanh';

function checkApprox(fn: string, approximate: GeluApproximation): void {
  if (approximate !== 'none' && approximate !== 'tanh') {
    fail(fn, `approximate must be 'none' or 'tanh', got ${String(approximate)}`);
  }
}

/** GELU: x·Φ(x) = x·½·erfc(−x/√2) (exact), or ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function gelu(x: number, approximate: GeluApproximation = 'none'): number {
  checkNumber('gelu', 'x', x, true);
  checkApprox('gelu', approximate);
  if (approximate === 'tanh')
    return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
  if (x === -Infinity) return 0;
  return 0.5 * x * erfc(-x / Math.SQRT2);
}

/** d/dx GELU: Φ(x) + x·φ(x) (exact), or the derivative of the tanh form. */
export function geluDerivative(x: number, approximate: GeluApproximation = 'none'): number {
  checkNumber('geluDerivative', 'x', x, true);
  checkApprox('geluDerivative', approximate);
  if (approximate === 'tanh') {
    const inner = SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x);
    const t = Math.tanh(inner);
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * x * x);
  }
  if (!Number.isFinite(x)) return x > 0 ? 1 : 0;
  return 0.5 * erfc(-x / Math.SQRT2) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

/** The softmax Jacobian from its output weights s (n): J = diag(s) − s·sᵀ, (n, n). */
export function softmaxJacobian(weights: readonly number[]): Matrix {
  checkVector('softmaxJacobian', 'weights', weights);
  return weights.map((si, i) => weights.map((sj, j) => (i === j ? si : 0) - si * sj)); // (n, n)
}

/** Backward pass of softmax: given weights s (n) and upstream gradient g (n), Jᵀg = s ⊙ (g − s·g), (n). */
export function softmaxBackward(weights: readonly number[], gradOutput: readonly number[]): number[] {
  const n = checkVector('softmaxBackward', 'weights', weights);
  checkVector('softmaxBackward', 'gradOutput', gradOutput, n);
  const sg = weights.reduce((acc, s, i) => acc + s * gradOutput[i], 0);
  return weights.map((s, i) => s * (gradOutput[i] - sg)); // (n)
}

/** Names of the elementwise activations. */
export type ActivationName = 'relu' | 'leaky-relu' | 'sigmoid' | 'tanh' | 'gelu' | 'gelu-tanh';

/** Elementwise activations by name: value and derivative at x. */
export const ACTIVATIONS: Record<ActivationName, { f: (x: number) => number; df: (x: number) => number }> = {
  relu: { f: relu, df: reluDerivative },
  'leaky-relu': { f: (x) => leakyRelu(x), df: (x) => leakyReluDerivative(x) },
  sigmoid: { f: sigmoid, df: sigmoidDerivative },
  tanh: { f: tanh, df: tanhDerivative },
  gelu: { f: (x) => gelu(x), df: (x) => geluDerivative(x) },
  'gelu-tanh': { f: (x) => gelu(x, 'tanh'), df: (x) => geluDerivative(x, 'tanh') },
};

/** Apply an activation to xs (n): stages {input, output, derivative}, each (n). Softmax: use softmax(). */
export function applyActivation(
  name: ActivationName,
  xs: readonly number[],
): { input: number[]; output: number[]; derivative: number[] } {
  const act = (ACTIVATIONS as Partial<typeof ACTIVATIONS>)[name];
  if (!act || !Object.hasOwn(ACTIVATIONS, name)) {
    fail(
      'applyActivation',
      `name must be one of ${Object.keys(ACTIVATIONS).join(', ')}, got ${String(name)}`,
    );
  }
  checkVector('applyActivation', 'xs', xs, undefined, true);
  return { input: xs.slice(), output: xs.map(act.f), derivative: xs.map(act.df) };
}
