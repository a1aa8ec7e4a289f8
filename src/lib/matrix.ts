/** Tiny dense linear-algebra helpers over plain number[][] (row-major). */
import { checkMatrix, checkVector, fail } from './validate';

/** A dense matrix, rows of equal length: (rows, cols). */
export type Matrix = number[][];
/** A dense vector: (n). */
export type Vector = number[];

/** Shape [rows, cols] of a matrix (no validation; [0, 0] for an empty one). */
export function shape(m: readonly (readonly number[])[]): [number, number] {
  return [m.length, m.length === 0 ? 0 : m[0].length];
}

/** A (rows, cols) matrix filled with `value` (0 by default). */
export function zeros(rows: number, cols: number, value = 0): Matrix {
  return Array.from({ length: rows }, () => new Array<number>(cols).fill(value));
}

/** Deep copy of a matrix (rows, cols). */
export function cloneMatrix(m: readonly (readonly number[])[]): Matrix {
  return m.map((row) => row.slice());
}

/** Transpose (rows, cols) → (cols, rows). */
export function transpose(a: readonly (readonly number[])[]): Matrix {
  const [r, c] = checkMatrix('transpose', 'a', a, { allowInfinity: true });
  const out = zeros(c, r); // (cols, rows)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j][i] = a[i][j];
  return out;
}

/** Matrix product (n, k) @ (k, m) → (n, m); throws when the inner dimensions differ. */
export function matmul(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): Matrix {
  const [n, k] = checkMatrix('matmul', 'a', a, { allowInfinity: true });
  const [k2, m] = checkMatrix('matmul', 'b', b, { allowInfinity: true });
  if (k !== k2) fail('matmul', `b must have shape (${k}, m) to match a (${n}, ${k}), got (${k2}, ${m})`);
  const out = zeros(n, m); // (n, m)
  for (let i = 0; i < n; i++) {
    const ai = a[i];
    const oi = out[i];
    for (let p = 0; p < k; p++) {
      const x = ai[p];
      const bp = b[p];
      for (let j = 0; j < m; j++) oi[j] += x * bp[j];
    }
  }
  return out;
}

/** Matrix-vector product (n, k) @ (k) → (n). */
export function matVec(a: readonly (readonly number[])[], v: readonly number[]): Vector {
  const [, k] = checkMatrix('matVec', 'a', a, { allowInfinity: true });
  checkVector('matVec', 'v', v, k, true);
  return a.map((row) => dot(row, v));
}

/** Dot product of two equal-length vectors (n)·(n) → scalar. */
export function dot(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) fail('dot', `b must have length ${a.length} to match a, got ${b.length}`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Euclidean norm of a vector (n) → scalar. */
export function norm(v: readonly number[]): number {
  return Math.sqrt(dot(v, v));
}

/** Elementwise map over a matrix (rows, cols) → (rows, cols). */
export function mapMatrix(
  m: readonly (readonly number[])[],
  f: (x: number, i: number, j: number) => number,
): Matrix {
  return m.map((row, i) => row.map((x, j) => f(x, i, j)));
}

/** Add a row vector (cols) to every row of m (rows, cols) → (rows, cols). */
export function addRowVector(m: readonly (readonly number[])[], v: readonly number[]): Matrix {
  const [, c] = checkMatrix('addRowVector', 'm', m, { allowInfinity: true });
  checkVector('addRowVector', 'v', v, c, true);
  return m.map((row) => row.map((x, j) => x + v[j]));
}

/** Columns [start, end) of m (rows, cols) → (rows, end - start). */
export function sliceCols(m: readonly (readonly number[])[], start: number, end: number): Matrix {
  return m.map((row) => row.slice(start, end));
}

/** Concatenate matrices with equal row counts side by side: (rows, c1) ‖ (rows, c2) … → (rows, Σc). */
export function concatCols(ms: readonly (readonly (readonly number[])[])[]): Matrix {
  if (ms.length === 0) fail('concatCols', 'ms must contain at least one matrix, got 0');
  const rows = ms[0].length;
  ms.forEach((m, i) => {
    if (m.length !== rows) fail('concatCols', `ms[${i}] must have ${rows} rows, got ${m.length}`);
  });
  return Array.from({ length: rows }, (_, i) => ms.flatMap((m) => m[i] as number[]));
}

/**
 * Eigen-decomposition of a symmetric matrix (n, n) by cyclic Jacobi rotations: eigenvalues sorted descending
 * (n) and the matching unit eigenvectors as rows (n, n). Suited to the small matrices of the demos (n ≲ 200).
 */
export function symmetricEigen(a: readonly (readonly number[])[]): { values: Vector; vectors: Matrix } {
  const [n, c] = checkMatrix('symmetricEigen', 'a', a);
  if (n !== c) fail('symmetricEigen', `a must be square (n, n), got (${n}, ${c})`);
  const m = cloneMatrix(a); // (n, n), rotated towards diagonal
  const v = zeros(n, n); // (n, n), columns are eigenvectors
  for (let i = 0; i < n; i++) v[i][i] = 1;
  // Converged when the off-diagonal mass is negligible relative to the whole matrix (an absolute
  // threshold never triggers for rank-deficient inputs, whose rotations keep leaving ~1e-300 residue).
  let total = 0;
  for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) total += m[p][q] * m[p][q];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] * m[p][q];
    if (off <= 1e-32 * total || off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p][q];
        if (apq === 0) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < n; k++) {
          const mkp = m[k][p];
          const mkq = m[k][q];
          m[k][p] = cs * mkp - sn * mkq;
          m[k][q] = sn * mkp + cs * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p][k];
          const mqk = m[q][k];
          m[p][k] = cs * mpk - sn * mqk;
          m[q][k] = sn * mpk + cs * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = cs * vkp - sn * vkq;
          v[k][q] = sn * vkp + cs * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j][j] - m[i][i] || i - j);
  return { values: order.map((i) => m[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}
