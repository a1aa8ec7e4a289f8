/**
 * An exercise: a cell with a TODO (`starter`), a `solution`, and hidden checks that compare the
 * learner's exported functions with src/lib's reference on fixed and random inputs. DOM-free, so
 * the same checks run in the sandbox worker and in Vitest.
 */
import type { Rng } from '../lib/rng';

/** Collects the outcome of each check; every failure names what was wrong. */
export class Checker {
  readonly failures: string[] = [];
  passed = 0;

  /** Record one check. */
  that(ok: boolean, failure: string): boolean {
    if (ok) this.passed++;
    else this.failures.push(failure);
    return ok;
  }

  /** Compare two arrays element by element (absolute tolerance `tol`); names the first bad index. */
  close(actual: unknown, expected: readonly number[], what: string, tol = 1e-6): boolean {
    if (!Array.isArray(actual) && !ArrayBuffer.isView(actual)) {
      return this.that(
        false,
        `${what} should be an array of ${expected.length} numbers, got ${describe(actual)}`,
      );
    }
    const a = Array.from(actual as ArrayLike<unknown>);
    if (a.length !== expected.length) {
      return this.that(false, `${what} has ${a.length} entries, not ${expected.length}`);
    }
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x !== 'number' || !(Math.abs(x - expected[i]) <= tol)) {
        return this.that(false, `${what}: entry ${i} is ${describe(x)}, not ${fmt(expected[i])}`);
      }
    }
    return this.that(true, '');
  }

  /** Compare two matrices (absolute tolerance `tol`); names the first bad row and column. */
  closeMatrix(actual: unknown, expected: readonly (readonly number[])[], what: string, tol = 1e-6): boolean {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return this.that(false, `${what} should have ${expected.length} rows, got ${describe(actual)}`);
    }
    for (let i = 0; i < expected.length; i++) {
      const row = actual[i];
      if (!Array.isArray(row) || row.length !== expected[i].length) {
        return this.that(
          false,
          `${what}: row ${i} should have ${expected[i].length} entries, got ${describe(row)}`,
        );
      }
      for (let j = 0; j < row.length; j++) {
        const x = row[j];
        if (typeof x !== 'number' || !(Math.abs(x - expected[i][j]) <= tol)) {
          return this.that(
            false,
            `${what}: row ${i}, column ${j} is ${describe(x)}, not ${fmt(expected[i][j])}`,
          );
        }
      }
    }
    return this.that(true, '');
  }

  /** Run one case; an exception from the learner's code becomes a named failure. */
  run(label: string, body: () => void): void {
    try {
      body();
    } catch (e) {
      this.that(false, `${label} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
}

/** A short description of a value for feedback. */
export function describe(v: unknown): string {
  if (typeof v === 'number') return fmt(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v;
}

/** A number for feedback: up to 4 significant decimals. */
export function fmt(x: number): string {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** The learner's module: what the cell exported. */
export type Exports = Record<string, unknown>;

/** Fetch an exported function by name, or fail with a message saying what to export. */
export function exported<F>(mod: Exports, name: string): F {
  const f = mod[name];
  if (typeof f !== 'function') throw new Error(`export a function named ${name} (found ${describe(f)})`);
  return f as F;
}

/** One exercise (see the README's "Notebook cells" section). */
export interface Exercise {
  /** Stable id, also the storage key of "solved": never rename. */
  id: string;
  /** Chapter slug (e.g. 'attention'). */
  chapter: string;
  /** Short title shown above the cell and in the solved lists. */
  title: string;
  /** The code the learner starts from, with a TODO; it must fail the checks. */
  starter: string;
  /** A correct answer; it must pass the checks. */
  solution: string;
  /** The hidden checks: call the learner's exports on fixed and random inputs and compare with src/lib. */
  check(mod: Exports, c: Checker, rng: Rng): void;
}

/**
 * The starter made from the solution, so the two cannot drift apart: each [from, to] pair replaces the
 * solution's exact text `from` (the part the learner writes) with `to` (a TODO, or a hint comment).
 */
export function starterFrom(solution: string, ...swaps: [from: string, to: string][]): string {
  return swaps.reduce((code, [from, to]) => {
    if (!code.includes(from)) throw new Error(`starterFrom: the solution has no ${JSON.stringify(from)}`);
    return code.replace(from, () => to);
  }, solution);
}

/** Run an exercise's checks against a module; returns the failures (empty when solved) and the count passed. */
export function runChecks(ex: Exercise, mod: Exports, rng: Rng): { failures: string[]; passed: number } {
  const c = new Checker();
  try {
    ex.check(mod, c, rng);
  } catch (e) {
    c.that(false, e instanceof Error ? e.message : String(e));
  }
  return { failures: c.failures, passed: c.passed };
}

/** A random matrix (rows, cols) of normal draws, rounded to 3 decimals so feedback stays readable. */
export function randomMatrix(rng: Rng, rows: number, cols: number, std = 1): number[][] {
  return Array.from({ length: rows }, () =>
    Array.from({ length: cols }, () => Math.round(rng.normal(0, std) * 1000) / 1000),
  );
}

/** A short label for an input in feedback, e.g. `[[1, 2], [3, 4]]` cut at 60 characters. */
export function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
