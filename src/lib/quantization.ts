/**
 * Symmetric int8 quantization: scale = max|x| / 127, q = clamp(round(x / scale), −127, 127) with round half to
 * even (as torch.round), per tensor or per channel (one scale per row). A zero tensor/row gets scale 0 and
 * q = 0 (no NaN). Sizes assume float32 storage before and int8 values plus one float32 scale per channel after.
 */
import type { Matrix } from './matrix';
import { checkMatrix, fail } from './validate';

/** Round to the nearest integer, ties to even (torch.round / numpy.round semantics). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties towards +∞
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Quantization granularity. */
export type QuantMode = 'per-tensor' | 'per-channel';

/** Quantization stages and figures. */
export interface QuantizedTensor {
  mode: QuantMode;
  /** One scale (per-tensor) or one per row (per-channel), (1) or (rows). */
  scales: number[];
  /** Integers in [−127, 127], (rows, cols). */
  q: Matrix;
  /** q · scale, (rows, cols). */
  dequantized: Matrix;
  /** |x − dequantized|, (rows, cols). */
  error: Matrix;
  maxAbsError: number;
  meanAbsError: number;
  /** 4 bytes per value (float32). */
  bytesBefore: number;
  /** 1 byte per value + 4 bytes per scale. */
  bytesAfter: number;
  /** bytesBefore / bytesAfter. */
  compression: number;
}

/** Dequantize int8 values q (rows, cols) with scales (1) or (rows) → (rows, cols). */
export function dequantize(q: Matrix, scales: readonly number[]): Matrix {
  const [rows] = checkMatrix('dequantize', 'q', q);
  if (!Array.isArray(scales) || (scales.length !== 1 && scales.length !== rows)) {
    fail(
      'dequantize',
      `scales must have length 1 or rows=${rows}, got ${Array.isArray(scales) ? scales.length : typeof scales}`,
    );
  }
  return q.map((row, i) => row.map((v) => v * scales[scales.length === 1 ? 0 : i])); // (rows, cols)
}

/** Quantize x (rows, cols) to symmetric int8, per tensor or per row (channel), with error and size figures. */
export function quantizeInt8(x: Matrix, mode: QuantMode = 'per-tensor'): QuantizedTensor {
  const fn = 'quantizeInt8';
  const [rows, cols] = checkMatrix(fn, 'x', x);
  if (mode !== 'per-tensor' && mode !== 'per-channel') {
    fail(fn, `mode must be 'per-tensor' or 'per-channel', got ${String(mode)}`);
  }
  const maxAbs = (a: readonly number[]) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const scales =
    mode === 'per-tensor' ? [Math.max(...x.map(maxAbs)) / 127] : x.map((row) => maxAbs(row) / 127); // (1) or (rows)
  const q = x.map((row, i) => {
    const s = scales[mode === 'per-tensor' ? 0 : i];
    return row.map((v) => (s === 0 ? 0 : Math.min(127, Math.max(-127, roundHalfEven(v / s))) + 0)); // + 0: no −0
  }); // (rows, cols)
  const dequantized = dequantize(q, scales); // (rows, cols)
  const error = x.map((row, i) => row.map((v, j) => Math.abs(v - dequantized[i][j]))); // (rows, cols)
  const flat = error.flat();
  const bytesBefore = 4 * rows * cols;
  const bytesAfter = rows * cols + 4 * scales.length;
  return {
    mode,
    scales,
    q,
    dequantized,
    error,
    maxAbsError: flat.reduce((m, v) => Math.max(m, v), 0),
    meanAbsError: flat.reduce((s, v) => s + v, 0) / flat.length,
    bytesBefore,
    bytesAfter,
    compression: bytesBefore / bytesAfter,
  };
}
