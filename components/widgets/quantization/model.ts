/** The int8 quantization view's input parsing (no DOM): one row of weights per line, equal lengths. */
import { parseNumberList } from '../softmax-mini/parse';

export const MAX_ROWS = 8;
export const MAX_COLS = 32;

/** Parse rows of comma-separated weights, or say which line is wrong. */
export function parseRows(text: string): { ok: true; rows: number[][] } | { ok: false; message: string } {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0)
    return { ok: false, message: 'Enter at least one row of weights, e.g. 0.4, -1.2, 2.9.' };
  if (lines.length > MAX_ROWS)
    return { ok: false, message: `Enter at most ${MAX_ROWS} rows (got ${lines.length}).` };
  const rows: number[][] = [];
  for (const [i, line] of lines.entries()) {
    const parsed = parseNumberList(line, { max: MAX_COLS });
    if (!parsed.ok) return { ok: false, message: `Row ${i + 1}: ${parsed.message}` };
    rows.push(parsed.values);
  }
  const cols = rows[0].length;
  const bad = rows.findIndex((r) => r.length !== cols);
  if (bad >= 0) {
    return {
      ok: false,
      message: `Every row needs the same number of weights: row 1 has ${cols}, row ${bad + 1} has ${rows[bad].length}.`,
    };
  }
  return { ok: true, rows };
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
