/** Special functions: erf and erfc in double precision (used by the exact GELU). */
import { checkNumber } from './validate';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) for 0 <= x < 3 by the positive series e^{-x²}·2/√π·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)). */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  const x2 = x * x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
}

/** erfc(x) for x >= 3 by its continued fraction e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
function erfcFraction(x: number): number {
  let t = x;
  for (let n = 120; n >= 1; n--) t = x + n / 2 / t;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / t;
}

/** The error function erf(x), scalar → scalar, absolute error below 1e-15. */
export function erf(x: number): number {
  checkNumber('erf', 'x', x, true);
  const ax = Math.abs(x);
  const r = ax < 3 ? erfSeries(ax) : 1 - erfcFraction(ax);
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 − erf(x), scalar → scalar, accurate in the far tails. */
export function erfc(x: number): number {
  checkNumber('erfc', 'x', x, true);
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  const ax = Math.abs(x);
  const r = ax < 3 ? 1 - erfSeries(ax) : erfcFraction(ax);
  return x < 0 ? 2 - r : r;
}
