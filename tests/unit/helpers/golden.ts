import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../golden/lib/', import.meta.url));
const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Load tests/golden/lib/<name>.json (written by scripts/reference/lib_goldens.py), reviving NaN/±Infinity. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function loadGolden(name: string): any {
  const text = readFileSync(`${dir}${name}.json`, 'utf8');
  return JSON.parse(text, (_key, value) =>
    typeof value === 'string' && value in SPECIAL ? SPECIAL[value] : value,
  );
}

/** A golden test case: a plain record (typed loosely, as JSON is). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GoldenCase = Record<string, any>;

/** A golden array as a list of cases, so `it.each(cases(g.x))` passes each case as one object. */
export function cases(value: unknown): GoldenCase[] {
  if (!Array.isArray(value)) throw new Error('golden: expected an array of cases');
  return value as GoldenCase[];
}
