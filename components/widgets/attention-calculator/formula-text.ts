/**
 * Writing numbers into the attention calculator's formulas: as KaTeX source (only numbers and fixed
 * symbols, never user text) and as plain text, with the real minus sign and long sums elided.
 */
import { fmt } from '../shared/parse';

/** A formula as KaTeX source and as plain text. */
export interface Formula {
  tex: string;
  text: string;
}

/** A number as the calculator shows it: `digits` decimals, a real minus sign, −∞ for masked scores. */
export function num(x: number, digits = 3): string {
  return fmt(x, { digits, minusSign: true });
}

/** A number as KaTeX source; negatives in parentheses when `paren`. */
export function tx(x: number, paren = false, digits = 3): string {
  if (x === -Infinity) return '-\\infty';
  if (x === Infinity) return '\\infty';
  const s = num(x, digits).replace('−', '-');
  return paren && s.startsWith('-') ? `(${s})` : s;
}

/** A number as plain text; negatives in parentheses when `paren`. */
export function pt(x: number, paren = false, digits = 3): string {
  const s = num(x, digits);
  return paren && s.startsWith('−') && x !== -Infinity ? `(${s})` : s;
}

/** Keep at most 4 terms: the first 3, an ellipsis, the last. */
export function elide<T>(terms: T[]): (T | null)[] {
  return terms.length <= 4 ? terms : [...terms.slice(0, 3), null, terms[terms.length - 1]];
}

/** Σ a_m·b_m written out (elided) in both forms. */
export function productSum(a: readonly number[], b: readonly number[]): Formula {
  const pairs = elide(a.map((x, m) => [x, b[m]] as const));
  // a negative first factor after a "+" goes in parentheses ("+ (−0.684)·…", never "+ −0.684")
  const tex = pairs
    .map((p, k) => (p ? `${tx(p[0], k > 0)} \\cdot ${tx(p[1], true)}` : '\\cdots'))
    .join(' + ');
  const text = pairs.map((p, k) => (p ? `${pt(p[0], k > 0)}·${pt(p[1], true)}` : '…')).join(' + ');
  return { tex, text };
}
