/**
 * Argument checks shared by the numerics core. Every failure throws a RangeError whose message names the
 * function, the argument and what was expected, e.g. "attention: k must have shape (S, 4), got (3, 5)".
 */

/** Throw a RangeError prefixed with the calling function's name. */
export function fail(fn: string, message: string): never {
  throw new RangeError(`${fn}: ${message}`);
}

/** Describe a value briefly for an error message. */
function show(x: unknown): string {
  if (typeof x === 'number') return Number.isNaN(x) ? 'NaN' : String(x);
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? 'null' : typeof x;
}

/** Check that x is a number that is not NaN (and finite unless allowInfinity). */
export function checkNumber(fn: string, name: string, x: number, allowInfinity = false): void {
  if (typeof x !== 'number' || Number.isNaN(x)) fail(fn, `${name} must be a number, got ${show(x)}`);
  if (!allowInfinity && !Number.isFinite(x)) fail(fn, `${name} must be finite, got ${x}`);
}

/** Check lo <= x <= hi (bounds exclusive where the flags say so). */
export function checkRange(
  fn: string,
  name: string,
  x: number,
  lo: number,
  hi: number,
  { loOpen = false, hiOpen = false } = {},
): void {
  checkNumber(fn, name, x, true);
  const okLo = loOpen ? x > lo : x >= lo;
  const okHi = hiOpen ? x < hi : x <= hi;
  if (!okLo || !okHi) {
    fail(fn, `${name} must be in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${x}`);
  }
}

/** Check that x is an integer in [lo, hi]. */
export function checkInt(fn: string, name: string, x: number, lo = 0, hi = Number.MAX_SAFE_INTEGER): void {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < lo || x > hi) {
    const range = hi === Number.MAX_SAFE_INTEGER ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    fail(fn, `${name} must be an integer ${range}, got ${show(x)}`);
  }
}

/** Check a non-empty vector of numbers (length n if given); NaN always rejected, ±Infinity unless allowed. */
export function checkVector(
  fn: string,
  name: string,
  v: readonly number[],
  n?: number,
  allowInfinity = false,
): number {
  if (!Array.isArray(v) || v.length === 0) fail(fn, `${name} must be a non-empty array, got ${show(v)}`);
  if (n !== undefined && v.length !== n) fail(fn, `${name} must have length ${n}, got ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || Number.isNaN(x)) fail(fn, `${name}[${i}] must be a number, got ${show(x)}`);
    if (!allowInfinity && !Number.isFinite(x)) fail(fn, `${name}[${i}] must be finite, got ${x}`);
  }
  return v.length;
}

/**
 * Check a non-empty rectangular matrix (rows, cols) of numbers; `rows`/`cols` pin the expected shape and the
 * labels name the dimensions in the message (e.g. 'T', 'd_k'). Returns [rows, cols].
 */
export function checkMatrix(
  fn: string,
  name: string,
  m: readonly (readonly number[])[],
  expect: {
    rows?: number;
    cols?: number;
    rowLabel?: string;
    colLabel?: string;
    allowInfinity?: boolean;
  } = {},
): [number, number] {
  const dim = (label: string | undefined, fallback: string, n: number | undefined) =>
    n === undefined ? (label ?? fallback) : label ? `${label}=${n}` : String(n);
  const want = () =>
    `(${dim(expect.rowLabel, 'rows', expect.rows)}, ${dim(expect.colLabel, 'cols', expect.cols)})`;
  if (!Array.isArray(m) || m.length === 0 || !Array.isArray(m[0]) || m[0].length === 0) {
    fail(fn, `${name} must be a non-empty matrix of shape ${want()}, got ${show(m)}`);
  }
  const rows = m.length;
  const cols = m[0].length;
  for (let i = 0; i < rows; i++) {
    const row = m[i];
    if (!Array.isArray(row) || row.length !== cols) {
      fail(fn, `${name} must be rectangular: row ${i} has length ${show(row?.length)}, row 0 has ${cols}`);
    }
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== 'number' || Number.isNaN(x)) {
        fail(fn, `${name}[${i}][${j}] must be a number, got ${show(x)}`);
      }
      if (!expect.allowInfinity && !Number.isFinite(x))
        fail(fn, `${name}[${i}][${j}] must be finite, got ${x}`);
    }
  }
  if (
    (expect.rows !== undefined && rows !== expect.rows) ||
    (expect.cols !== undefined && cols !== expect.cols)
  ) {
    fail(fn, `${name} must have shape ${want()}, got (${rows}, ${cols})`);
  }
  return [rows, cols];
}

/** Check a boolean mask of shape (rows, cols). */
export function checkMask(
  fn: string,
  name: string,
  m: readonly (readonly boolean[])[],
  rows: number,
  cols: number,
): void {
  if (!Array.isArray(m) || m.length !== rows) {
    fail(fn, `${name} must have shape (${rows}, ${cols}), got ${show(m)}`);
  }
  m.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== cols) {
      fail(fn, `${name} must have shape (${rows}, ${cols}): row ${i} is ${show(row)}`);
    }
    row.forEach((b, j) => {
      if (typeof b !== 'boolean') fail(fn, `${name}[${i}][${j}] must be a boolean, got ${show(b)}`);
    });
  });
}

/** Check that x is a string. */
export function checkString(fn: string, name: string, x: string): void {
  if (typeof x !== 'string') fail(fn, `${name} must be a string, got ${show(x)}`);
}
