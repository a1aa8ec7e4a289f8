/**
 * Pretty-print cell values as plain text or text tables (never HTML): numbers, strings, arrays,
 * nested arrays as tables, typed arrays, tensors with shape and dtype, objects. DOM-free.
 */

/** One piece of cell output. Everything is shown as text; plots are drawn by the host from data. */
export type OutputItem =
  | { kind: 'text'; text: string; stream: 'log' | 'warn' | 'error' | 'result' }
  | { kind: 'table'; caption: string; header: string[]; rows: string[][]; stream: 'log' | 'result' }
  | { kind: 'plot'; spec: PlotSpec }
  | { kind: 'notice'; text: string };

/** What `plot(...)` draws. */
export type PlotSpec =
  | { type: 'line'; title: string; series: { name: string; values: number[] }[] }
  | { type: 'heatmap'; title: string; matrix: number[][]; rows: string[]; cols: string[] };

const MAX_TABLE_ROWS = 50;
const MAX_TABLE_COLS = 24;
const MAX_ITEMS = 100;
const WIDTH = 72;

/** A number as the course prints it: integers exactly, others to 4 significant decimals. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

interface TensorLike {
  shape: number[];
  dtype: string;
  arraySync(): unknown;
}

function isTensor(v: unknown): v is TensorLike {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as TensorLike).shape) &&
    typeof (v as TensorLike).dtype === 'string' &&
    typeof (v as TensorLike).arraySync === 'function'
  );
}

function isTypedArray(v: unknown): v is ArrayLike<number> & { constructor: { name: string } } {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

/** A list of rows of numbers/strings/booleans, all the same length. */
function asMatrix(v: unknown): unknown[][] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const rows = v.map((r) => (isTypedArray(r) ? Array.from(r) : r));
  if (!rows.every((r) => Array.isArray(r) && r.length > 0 && r.length === rows[0].length)) return null;
  const prim = (x: unknown) => ['number', 'string', 'boolean'].includes(typeof x);
  return (rows as unknown[][]).every((r) => r.every(prim)) ? (rows as unknown[][]) : null;
}

/** One-line-or-indented text for any value; strings quoted unless `top` is a log argument. */
export function inspect(v: unknown, indent = '', seen = new Set<unknown>(), depth = 0): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'symbol') return String(v);
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  if (isTensor(v)) return `Tensor shape [${v.shape.join(', ')}] dtype ${v.dtype}`;
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (seen.has(v)) return '[circular]';
  if (depth > 6) return Array.isArray(v) ? '[…]' : '{…}';
  seen.add(v);
  try {
    const inner = indent + '  ';
    let parts: string[];
    let open: string;
    let close: string;
    if (isTypedArray(v)) {
      const arr = Array.from(v as ArrayLike<number>);
      parts = arr.slice(0, MAX_ITEMS).map((x) => formatNumber(Number(x)));
      if (arr.length > MAX_ITEMS) parts.push(`… ${arr.length - MAX_ITEMS} more`);
      open = `${v.constructor.name}(${arr.length}) [`;
      close = ']';
    } else if (Array.isArray(v)) {
      parts = v.slice(0, MAX_ITEMS).map((x) => inspect(x, inner, seen, depth + 1));
      if (v.length > MAX_ITEMS) parts.push(`… ${v.length - MAX_ITEMS} more`);
      open = '[';
      close = ']';
    } else if (v instanceof Map) {
      parts = [...v].map(
        ([k, x]) => `${inspect(k, inner, seen, depth + 1)} => ${inspect(x, inner, seen, depth + 1)}`,
      );
      open = `Map(${v.size}) {`;
      close = '}';
    } else if (v instanceof Set) {
      parts = [...v].map((x) => inspect(x, inner, seen, depth + 1));
      open = `Set(${v.size}) {`;
      close = '}';
    } else {
      parts = Object.entries(v as object).map(([k, x]) => {
        const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
        return `${key}: ${inspect(x, inner, seen, depth + 1)}`;
      });
      open = '{';
      close = '}';
    }
    if (parts.length === 0) return `${open}${close}`;
    const flat = `${open}${open.endsWith('{') ? ' ' : ''}${parts.join(', ')}${close === '}' ? ' ' : ''}${close}`;
    if (flat.length + indent.length <= WIDTH && !flat.includes('\n')) return flat;
    return `${open}\n${parts.map((p) => inner + p).join(',\n')}\n${indent}${close}`;
  } finally {
    seen.delete(v);
  }
}

function tableItem(m: unknown[][], caption: string, stream: 'log' | 'result'): OutputItem {
  const cols = Math.min(m[0].length, MAX_TABLE_COLS);
  const header = Array.from({ length: cols }, (_, j) => String(j));
  const rows = m
    .slice(0, MAX_TABLE_ROWS)
    .map((r) => r.slice(0, cols).map((x) => (typeof x === 'number' ? formatNumber(x) : String(x))));
  const cut: string[] = [];
  if (m.length > MAX_TABLE_ROWS) cut.push(`first ${MAX_TABLE_ROWS} of ${m.length} rows`);
  if (m[0].length > cols) cut.push(`first ${cols} of ${m[0].length} columns`);
  const full = cut.length ? `${caption} (${cut.join(', ')})` : caption;
  return { kind: 'table', caption: full, header, rows, stream };
}

/** The output items for a value: a table for matrices and 2-D tensors, else text. */
export function formatValue(v: unknown, stream: 'log' | 'result'): OutputItem {
  if (isTensor(v)) {
    const head = `Tensor shape [${v.shape.join(', ')}] dtype ${v.dtype}`;
    const data = v.arraySync();
    const m = v.shape.length === 2 ? asMatrix(data) : null;
    if (m) return tableItem(m, head, stream);
    return { kind: 'text', text: `${head}\n${inspect(data)}`, stream };
  }
  const m = asMatrix(v);
  if (m && m.length > 1) return tableItem(m, `${m.length} × ${m[0].length} array`, stream);
  return { kind: 'text', text: inspect(v), stream };
}

/** A console.log line: strings print raw, a lone matrix or tensor prints as a table. */
export function formatLog(args: unknown[], stream: 'log' | 'warn' | 'error'): OutputItem {
  if (args.length === 1 && stream === 'log' && typeof args[0] !== 'string') {
    const item = formatValue(args[0], 'log');
    if (item.kind === 'table') return item;
  }
  const text = args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  return { kind: 'text', text, stream };
}
