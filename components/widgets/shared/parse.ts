/**
 * Reading numbers that learners type, and showing numbers back. Every widget parses through this
 * module, so the same mistake gets the same message everywhere:
 *   "<Label> must be a whole number from 1 to 8 (got “x”)."
 * Pure: no DOM, unit-tested in tests/unit/widgets/shared-parse.test.ts.
 */

/** The result of reading typed text: the value, or a message that says what is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** What a typed number must be; the label names the field in the message. */
export interface NumberRule {
  /** The field's name as the learner sees it, e.g. "Learning rate" (starts the message). */
  label: string;
  /** Smallest accepted value (none when absent). */
  min?: number;
  /** Largest accepted value (none when absent). */
  max?: number;
  /** `min` itself is not accepted ("above 0"); default false. */
  minExclusive?: boolean;
  /** `max` itself is not accepted ("below 1"); default false. */
  maxExclusive?: boolean;
  /** Only whole numbers are accepted; default false. */
  integer?: boolean;
  /** A sentence added after the message, e.g. " (4 keeps every token)" (default none). */
  hint?: string;
}

/** A plain decimal number: 12, -0.5, .5, 3e-4. Hex, "Infinity" and thousands separators are not numbers here. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Longest piece of typed text quoted back in a message. */
const SHOWN = 20;

/** Typed text shortened for a message, with an ellipsis when it was cut. */
export function shown(text: string, max = SHOWN): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The typed number with a leading typographic minus (−, –) read as "-", trimmed. */
function normalise(text: string): string {
  return text.trim().replace(/^[\u2212\u2013]/, '-');
}

/** "from 0 to 1", "above 0 and at most 100", "from 1", "at most 5": the accepted range in words. */
export function rangeText(rule: Omit<NumberRule, 'label'>): string {
  const { min, max, minExclusive, maxExclusive } = rule;
  const lo = min === undefined ? '' : `${minExclusive ? 'above' : 'from'} ${min}`;
  if (max === undefined) return lo || 'of any size';
  if (min === undefined) return `${maxExclusive ? 'below' : 'at most'} ${max}`;
  if (!minExclusive && !maxExclusive) return `${lo} to ${max}`;
  return `${lo} and ${maxExclusive ? 'below' : 'at most'} ${max}`;
}

/** Read one typed number against a rule; the message names the field, the range and what was typed. */
export function parseNumber(text: string, rule: NumberRule): Parsed<number> {
  const t = normalise(text);
  const v = DECIMAL.test(t) ? Number(t) : NaN;
  const { min, max, minExclusive, maxExclusive, integer } = rule;
  const ok =
    Number.isFinite(v) &&
    (min === undefined || (minExclusive ? v > min : v >= min)) &&
    (max === undefined || (maxExclusive ? v < max : v <= max)) &&
    (!integer || Number.isSafeInteger(v));
  if (ok) return { ok: true, value: v };
  const kind = integer ? 'a whole number' : 'a number';
  const got = t === '' ? 'it is empty' : `got “${shown(t)}”`;
  return {
    ok: false,
    message: `${rule.label} must be ${kind} ${rangeText(rule)} (${got}).${rule.hint ?? ''}`,
  };
}

/** Largest seed a widget accepts (the seeded RNG takes 32-bit unsigned seeds). */
export const MAX_SEED = 4294967295;

/** A seed field: a whole number from 0 to MAX_SEED; spread it to rename the label. */
export const SEED: NumberRule = { label: 'Seed', min: 0, max: MAX_SEED, integer: true };

/** How many numbers a list may hold and how large each may be. */
export interface ListRule {
  /** Names the list in the message ("Logits: …"); without it the message starts with the rule. */
  label?: string;
  /** Fewest entries (default 1). */
  minCount?: number;
  /** Most entries (default 32). */
  maxCount?: number;
  /** Largest absolute value of one entry (default: any finite number). */
  maxAbs?: number;
  /** What every entry must be beyond finite, e.g. a whole number from 1 to 10000 (default none). */
  each?: Omit<NumberRule, 'label' | 'hint'>;
  /** An example shown when the list is empty, e.g. "2, 1, 0.1" (default "2, 1, 0.1"). */
  example?: string;
}

const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four', 'five'];

/** "one number", "two numbers", "12 numbers". */
function countText(n: number): string {
  return `${COUNT_WORDS[n] ?? n} number${n === 1 ? '' : 's'}`;
}

/** Read "2, 1, 0.1" (commas, semicolons or spaces between) into numbers, or say which entry is wrong. */
export function parseNumberList(text: string, rule: ListRule = {}): Parsed<number[]> {
  const { minCount = 1, maxCount = 32, maxAbs, example = '2, 1, 0.1' } = rule;
  const say = (sentence: string): Parsed<number[]> => ({
    ok: false,
    message: rule.label ? `${rule.label}: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}` : sentence,
  });
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  if (minCount === maxCount && parts.length !== minCount && parts.length > 0)
    return say(`Enter exactly ${countText(minCount)} (got ${parts.length}).`);
  if (parts.length < minCount) {
    const got = parts.length === 0 ? `, e.g. ${example}` : ` (got ${parts.length})`;
    return say(`Enter at least ${countText(minCount)}${got}.`);
  }
  if (parts.length > maxCount) return say(`Enter at most ${countText(maxCount)} (got ${parts.length}).`);
  const values: number[] = [];
  for (const [i, part] of parts.entries()) {
    const t = normalise(part);
    const v = DECIMAL.test(t) ? Number(t) : NaN;
    if (!Number.isFinite(v)) return say(`Entry ${i + 1} (“${shown(part)}”) is not a finite number.`);
    if (maxAbs !== undefined && Math.abs(v) > maxAbs)
      return say(`Entry ${i + 1} (${part}) must be between −${maxAbs} and ${maxAbs}.`);
    if (rule.each && !parseNumber(t, { ...rule.each, label: '' }).ok) {
      const kind = rule.each.integer ? 'a whole number' : 'a number';
      return say(`Entry ${i + 1} (${part}) must be ${kind} ${rangeText(rule.each)}.`);
    }
    values.push(v);
  }
  return { ok: true, value: values };
}

/** Named fields' typed text read with one rule each: every value, or the first bad field and why. */
export function parseFields<K extends string>(
  raw: Record<K, string>,
  rules: Record<K, NumberRule>,
): { ok: true; value: Record<K, number> } | { ok: false; field: K; message: string } {
  const value = {} as Record<K, number>;
  for (const field of Object.keys(rules) as K[]) {
    const r = parseNumber(raw[field], rules[field]);
    if (!r.ok) return { ok: false, field, message: r.message };
    value[field] = r.value;
  }
  return { ok: true, value };
}

/** How many rows of numbers a table may hold and what each row must be. */
export interface RowsRule {
  /** Fewest rows (default 1). */
  minRows?: number;
  /** Most rows. */
  maxRows: number;
  /** Every row has exactly this many numbers; without it every row has as many as the first. */
  columns?: number;
  /** Most numbers in one row when `columns` is not set (default 32). */
  maxCols?: number;
  /** Largest absolute value of one entry (default: any finite number). */
  maxAbs?: number;
  /** A row shown when the table is empty, e.g. "0.4, -1.2, 2.9". */
  example: string;
  /** What one row is called in messages, e.g. "example" (default "row"). */
  rowName?: string;
}

/** Read one row of numbers per line, or say which row (and which entry in it) is wrong. */
export function parseNumberRows(text: string, rule: RowsRule): Parsed<number[][]> {
  const { minRows = 1, maxRows, columns, maxCols = 32, maxAbs, example, rowName = 'row' } = rule;
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const rowsText = (n: number) => `${COUNT_WORDS[n] ?? n} ${rowName}${n === 1 ? '' : 's'}`;
  if (lines.length < minRows) {
    const got = lines.length === 0 ? '' : ` (got ${lines.length})`;
    return {
      ok: false,
      message: `Enter at least ${rowsText(minRows)}${got}, one per line, e.g. ${example}.`,
    };
  }
  if (lines.length > maxRows)
    return { ok: false, message: `Enter at most ${rowsText(maxRows)} (got ${lines.length}).` };
  const rows: number[][] = [];
  for (const [i, line] of lines.entries()) {
    const count = columns ?? (rows.length ? rows[0].length : undefined);
    const row = parseNumberList(line, {
      label: `${rowName.charAt(0).toUpperCase()}${rowName.slice(1)} ${i + 1}`,
      minCount: count ?? 1,
      maxCount: count ?? maxCols,
      maxAbs,
    });
    if (!row.ok) return row;
    rows.push(row.value);
  }
  return { ok: true, value: rows };
}

/** The readouts' usual format: 4 decimals, exponent notation for tiny or huge values. */
export const READOUT: FormatOptions = { digits: 4, scientific: true };

/** How fmt writes a number. */
export interface FormatOptions {
  /** Decimals after the point (default 3). */
  digits?: number;
  /** Switch to exponent notation (1.23e-5) when |x| is below 10^-digits or at least 1e5 (default false). */
  scientific?: boolean;
  /** Write negatives with the typographic minus "−" instead of "-" (default false). */
  minusSign?: boolean;
}

/** A number for a readout or table: fixed decimals, never "-0.000", ∞ and NaN spelled out. */
export function fmt(x: number, options: FormatOptions | number = {}): string {
  const {
    digits = 3,
    scientific = false,
    minusSign = false,
  } = typeof options === 'number' ? { digits: options } : options;
  const minus = (s: string) => (minusSign ? s.replace('-', '−') : s);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const a = Math.abs(x);
  if (scientific && a !== 0 && (a < 10 ** -digits || a >= 1e5)) return minus(x.toExponential(digits - 1));
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : minus(s);
}
