import { expect } from 'vitest';

/** A number or a nested array of numbers (booleans and null compared exactly). */
export type Nested = number | boolean | null | readonly Nested[];

function walk(
  actual: unknown,
  expected: unknown,
  rtol: number,
  atol: number,
  path: string,
  errors: string[],
): void {
  if (errors.length >= 5) return;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) {
      errors.push(`${path}: expected an array of length ${expected.length}, got ${String(actual)}`);
      return;
    }
    if (actual.length !== expected.length) {
      errors.push(`${path}: expected length ${expected.length}, got ${actual.length}`);
      return;
    }
    expected.forEach((e, i) => walk(actual[i], e, rtol, atol, `${path}[${i}]`, errors));
    return;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') {
      errors.push(`${path}: expected ${expected}, got ${String(actual)}`);
      return;
    }
    if (Number.isNaN(expected) ? Number.isNaN(actual) : actual === expected) return; // also ±Infinity
    const ok = Number.isFinite(expected) && Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    if (!ok)
      errors.push(`${path}: expected ${expected}, got ${actual} (|Δ| = ${Math.abs(actual - expected)})`);
    return;
  }
  if (actual !== expected) errors.push(`${path}: expected ${String(expected)}, got ${String(actual)}`);
}

/**
 * Assert nested numeric arrays are elementwise close: |a − e| <= atol + rtol·|e| (NaN equals NaN, ±Infinity
 * must match exactly, shapes must match). Reports up to five mismatches with their paths.
 */
export function expectClose(actual: unknown, expected: unknown, rtol = 1e-5, atol = 1e-12): void {
  const errors: string[] = [];
  walk(actual, expected, rtol, atol, '$', errors);
  expect(errors, errors.join('\n')).toEqual([]);
}
