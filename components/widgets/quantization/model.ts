/** The int8 quantization view's input parsing (no DOM): one row of weights per line, equal lengths. */
import { parseNumberRows, type Parsed } from '../shared/parse';

export const MAX_ROWS = 8;
export const MAX_COLS = 32;

/** Parse rows of comma-separated weights, or say which line is wrong. */
export function parseRows(text: string): Parsed<number[][]> {
  return parseNumberRows(text, { maxRows: MAX_ROWS, maxCols: MAX_COLS, example: '0.4, -1.2, 2.9' });
}

/** Mean of the squared errors (rows, cols) → scalar: the figure the chapter compares per tensor vs per channel. */
export function meanSquaredError(error: readonly (readonly number[])[]): number {
  const flat = error.flat();
  return flat.reduce((s, e) => s + e * e, 0) / flat.length;
}

/** |error| / |w| as a fraction, or null for a zero weight (no relative size to compare with). */
export function relativeError(w: number, error: number): number | null {
  return w === 0 ? null : error / Math.abs(w);
}
