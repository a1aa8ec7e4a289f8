/**
 * The `plot(...)` helper a cell calls: it validates the data and turns it into a PlotSpec that the
 * page draws with d3 as its own SVG. DOM-free; tensors are read with `arraySync()`.
 */
import type { PlotSpec } from './format';

/** Options for `plot`. */
export interface PlotOptions {
  /** Chart title (also the SVG's accessible name). */
  title?: string;
  /** 'line' (default for 1-D data and named series) or 'heatmap' (default for a matrix). */
  type?: 'line' | 'heatmap';
  /** Heatmap row labels (default 0, 1, …). */
  rows?: string[];
  /** Heatmap column labels (default 0, 1, …). */
  cols?: string[];
}

const MAX_POINTS = 5000;
const MAX_CELLS = 64 * 64;

function toPlain(v: unknown): unknown {
  const t = v as { arraySync?: () => unknown; shape?: unknown };
  if (v && typeof v === 'object' && typeof t.arraySync === 'function' && Array.isArray(t.shape)) {
    return t.arraySync();
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

function numbers(v: unknown, what: string): number[] {
  const a = toPlain(v);
  if (!Array.isArray(a) || !a.every((x) => typeof x === 'number')) {
    throw new TypeError(`plot: ${what} must be an array of numbers`);
  }
  if (a.length > MAX_POINTS)
    throw new RangeError(`plot: ${what} has ${a.length} points; the limit is ${MAX_POINTS}`);
  return a as number[];
}

/** Build the spec for `plot(data, options)`: numbers → line; {name: numbers} → lines; matrix → heatmap. */
export function plotSpec(data: unknown, options: PlotOptions = {}): PlotSpec {
  const plain = toPlain(data);
  const title = String(options.title ?? '');
  const isMatrix = Array.isArray(plain) && plain.length > 0 && plain.every((r) => Array.isArray(toPlain(r)));
  if (options.type === 'heatmap' || (isMatrix && options.type !== 'line')) {
    if (!isMatrix) throw new TypeError('plot: a heatmap needs a matrix (an array of rows of numbers)');
    const matrix = (plain as unknown[]).map((r, i) => numbers(r, `row ${i}`));
    const cols = matrix[0].length;
    if (!matrix.every((r) => r.length === cols))
      throw new TypeError('plot: every heatmap row needs the same length');
    if (matrix.length * cols > MAX_CELLS)
      throw new RangeError(`plot: a heatmap shows at most ${MAX_CELLS} cells`);
    return {
      type: 'heatmap',
      title,
      matrix,
      rows: options.rows?.map(String) ?? matrix.map((_, i) => String(i)),
      cols: options.cols?.map(String) ?? Array.from({ length: cols }, (_, j) => String(j)),
    };
  }
  if (isMatrix) {
    return {
      type: 'line',
      title,
      series: (plain as unknown[]).map((r, i) => ({
        name: `series ${i}`,
        values: numbers(r, `series ${i}`),
      })),
    };
  }
  if (plain && typeof plain === 'object' && !Array.isArray(plain)) {
    const series = Object.entries(plain).map(([name, v]) => ({ name, values: numbers(v, `"${name}"`) }));
    if (series.length === 0) throw new TypeError('plot: give at least one series');
    return { type: 'line', title, series };
  }
  return { type: 'line', title, series: [{ name: title || 'values', values: numbers(plain, 'the data') }] };
}
