/**
 * The WebAssembly engine's hot kernels, in AssemblyScript (compiled to ../kernels.wasm by `npm run
 * build:wasm`, 128-bit SIMD): the matmul, causal attention forward and backward, the fused matmul epilogue.
 * Every pointer is a byte offset into this module's memory, which the host (../kernels.ts) lays out; no
 * kernel allocates. Each kernel computes what its CPU twin in ../../webgpu/twins.ts computes, in float32.
 */

// The dropout counter hash of src/model/dropout-hash.ts, its prime and multipliers as compile-time constants
// (a remainder by a constant compiles to a multiply and shifts, not a division; the host's test checks
// every residue against hashAt in TypeScript, so a change there that is not made here fails it).
const HP: u32 = 4091;
const A1: u32 = 2039;
const B1: u32 = 1093;
const E: u32 = 1777;
const A2: u32 = 1031;
const B2: u32 = 677;
const R2: u32 = 613;

@inline function cube(h: u32): u32 {
  return (((h * h) % HP) * h) % HP;
}

/** The hash residue of element (r, c) of a dropout site keyed (k1, k2): hashAt of ../../webgpu/hash.ts. */
@inline function hashAt(r: u32, c: u32, k1: u32, k2: u32): u32 {
  const cc = c % HP;
  const rl = r % HP;
  const rh = (r / HP) % HP;
  const h = cube((cc * A1 + rl * B1 + k1) % HP);
  return cube((h * E + cc * A2 + rl * B2 + rh * R2 + k2) % HP);
}

/** The keep factor of element (r, c): dscale where kept, 0 where dropped, 1 without dropout (thr = 0). */
@inline function keep(r: u32, c: u32, k1: u32, k2: u32, thr: u32, dscale: f32): f32 {
  if (thr == 0) return 1;
  return hashAt(r, c, k1, k2) >= thr ? dscale : 0;
}

/** The residue itself, for the host's unit test against hashAt in TypeScript. */
export function hashResidue(r: u32, c: u32, k1: u32, k2: u32): u32 {
  return hashAt(r, c, k1, k2);
}

@inline function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let d = 0;
  for (; d + 4 <= n; d += 4) {
    const o = <usize>d << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s =
    f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; d < n; d++) s += load<f32>(a + (<usize>d << 2)) * load<f32>(b + (<usize>d << 2));
  return s;
}

/** y[0..n) += w · x[0..n). */
@inline function axpy(y: usize, x: usize, w: f32, n: i32): void {
  const ws = f32x4.splat(w);
  let d = 0;
  for (; d + 4 <= n; d += 4) {
    const o = <usize>d << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(ws, v128.load(x + o))));
  }
  for (; d < n; d++) {
    const o = <usize>d << 2;
    store<f32>(y + o, load<f32>(y + o) + w * load<f32>(x + o));
  }
}

/**
 * C (M, N) = A (M, K) · B (K, N), all row-major and contiguous. Tiles of 4 rows × 16 columns keep 16 vec4
 * accumulators in registers; each k loads 4 vec4 of B's row once and uses them for 4 rows of A.
 */
export function matmul(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32): void {
  const rowA = <usize>K << 2;
  const rowB = <usize>N << 2;
  const N16 = N & ~15;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const pa0 = a + <usize>i * rowA;
    for (let j = 0; j < N16; j += 16) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c22 = f32x4.splat(0), c23 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0), c32 = f32x4.splat(0), c33 = f32x4.splat(0);
      let pa = pa0;
      let pb = b + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb), b1 = v128.load(pb, 16), b2 = v128.load(pb, 32), b3 = v128.load(pb, 48);
        let s = f32x4.splat(load<f32>(pa));
        c00 = f32x4.add(c00, f32x4.mul(s, b0));
        c01 = f32x4.add(c01, f32x4.mul(s, b1));
        c02 = f32x4.add(c02, f32x4.mul(s, b2));
        c03 = f32x4.add(c03, f32x4.mul(s, b3));
        s = f32x4.splat(load<f32>(pa + rowA));
        c10 = f32x4.add(c10, f32x4.mul(s, b0));
        c11 = f32x4.add(c11, f32x4.mul(s, b1));
        c12 = f32x4.add(c12, f32x4.mul(s, b2));
        c13 = f32x4.add(c13, f32x4.mul(s, b3));
        s = f32x4.splat(load<f32>(pa + 2 * rowA));
        c20 = f32x4.add(c20, f32x4.mul(s, b0));
        c21 = f32x4.add(c21, f32x4.mul(s, b1));
        c22 = f32x4.add(c22, f32x4.mul(s, b2));
        c23 = f32x4.add(c23, f32x4.mul(s, b3));
        s = f32x4.splat(load<f32>(pa + 3 * rowA));
        c30 = f32x4.add(c30, f32x4.mul(s, b0));
        c31 = f32x4.add(c31, f32x4.mul(s, b1));
        c32 = f32x4.add(c32, f32x4.mul(s, b2));
        c33 = f32x4.add(c33, f32x4.mul(s, b3));
        pa += 4;
        pb += rowB;
      }
      let pc = c + (<usize>i * N + j) * 4;
      v128.store(pc, c00); v128.store(pc, c01, 16); v128.store(pc, c02, 32); v128.store(pc, c03, 48);
      pc += rowB;
      v128.store(pc, c10); v128.store(pc, c11, 16); v128.store(pc, c12, 32); v128.store(pc, c13, 48);
      pc += rowB;
      v128.store(pc, c20); v128.store(pc, c21, 16); v128.store(pc, c22, 32); v128.store(pc, c23, 48);
      pc += rowB;
      v128.store(pc, c30); v128.store(pc, c31, 16); v128.store(pc, c32, 32); v128.store(pc, c33, 48);
    }
    for (let r = i; r < i + 4; r++) rowTail(a, b, c, r, N16, N, K);
  }
  for (; i < M; i++) rowTail(a, b, c, i, 0, N, K);
}

/** Columns [j0, N) of row i of C: vec4 columns, then single ones. */
function rowTail(a: usize, b: usize, c: usize, i: i32, j0: i32, N: i32, K: i32): void {
  const pa = a + ((<usize>i * K) << 2);
  const rowB = <usize>N << 2;
  let j = j0;
  for (; j + 4 <= N; j += 4) {
    let acc = f32x4.splat(0);
    let pb = b + (<usize>j << 2);
    for (let k = 0; k < K; k++) {
      acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(pa + (<usize>k << 2))), v128.load(pb)));
      pb += rowB;
    }
    v128.store(c + ((<usize>i * N + j) << 2), acc);
  }
  for (; j < N; j++) {
    let s: f32 = 0;
    for (let k = 0; k < K; k++) s += load<f32>(pa + (<usize>k << 2)) * load<f32>(b + ((<usize>k * N + j) << 2));
    store<f32>(c + ((<usize>i * N + j) << 2), s);
  }
}

/**
 * The matmul epilogue over C (M, N) in place, in the twin's order: + bias (N), ReLU, × the dropout keep
 * factor (thr = 0: none), + residual (M, N), then 0 where reluGate (M, N) ≤ 0. A pointer of 0 means absent.
 * Four columns at a time; the keep factors are drawn per element (the hash has no vector form).
 */
export function epilogue(
  c: usize,
  M: i32,
  N: i32,
  bias: usize,
  relu: i32,
  k1: u32,
  k2: u32,
  thr: u32,
  dscale: f32,
  residual: usize,
  reluGate: usize,
): void {
  const zero = f32x4.splat(0);
  for (let i = 0; i < M; i++) {
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const o = (<usize>i * N + j) << 2;
      let v = v128.load(c + o);
      if (bias) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
      if (relu) v = f32x4.max(v, zero);
      if (thr) {
        const kf = f32x4.replace_lane(
          f32x4.replace_lane(
            f32x4.replace_lane(f32x4.splat(keep(i, j, k1, k2, thr, dscale)), 1, keep(i, j + 1, k1, k2, thr, dscale)),
            2,
            keep(i, j + 2, k1, k2, thr, dscale),
          ),
          3,
          keep(i, j + 3, k1, k2, thr, dscale),
        );
        v = f32x4.mul(v, kf);
      }
      if (residual) v = f32x4.add(v, v128.load(residual + o));
      if (reluGate) v = v128.and(v, f32x4.gt(v128.load(reluGate + o), zero));
      v128.store(c + o, v);
    }
    for (; j < N; j++) {
      const o = (<usize>i * N + j) << 2;
      let s = load<f32>(c + o);
      if (bias) s += load<f32>(bias + (<usize>j << 2));
      if (relu && s < 0) s = 0;
      if (thr) s *= keep(i, j, k1, k2, thr, dscale);
      if (residual) s += load<f32>(residual + o);
      if (reluGate && !(load<f32>(reluGate + o) > 0)) s = 0;
      store<f32>(c + o, s);
    }
  }
}

/** nn.LayerNorm forward over rows of C (biased variance): y, and each row's mean and 1/σ (the twin's). */
export function lnForward(x: usize, g: usize, b: usize, y: usize, mean: usize, rstd: usize, rows: i32, C: i32, eps: f32): void {
  for (let r = 0; r < rows; r++) {
    const row = (<usize>r * C) << 2;
    let m: f32 = 0;
    for (let c = 0; c < C; c++) m += load<f32>(x + row + (<usize>c << 2));
    m /= <f32>C;
    let v: f32 = 0;
    for (let c = 0; c < C; c++) {
      const d = load<f32>(x + row + (<usize>c << 2)) - m;
      v += d * d;
    }
    const s: f32 = 1 / Mathf.sqrt(v / <f32>C + eps);
    store<f32>(mean + (<usize>r << 2), m);
    store<f32>(rstd + (<usize>r << 2), s);
    for (let c = 0; c < C; c++) {
      const o = <usize>c << 2;
      store<f32>(y + row + o, (load<f32>(x + row + o) - m) * s * load<f32>(g + o) + load<f32>(b + o));
    }
  }
}

/**
 * Softmax cross-entropy per row fused with its gradient (the twin's crossEntropy): losses (N), dlogits =
 * (softmax − onehot) / N; returns the mean loss (summed in double precision in row order).
 */
export function crossEntropy(logits: usize, targets: usize, losses: usize, dlogits: usize, N: i32, V: i32): f64 {
  let total: f64 = 0;
  const invN: f32 = 1 / <f32>N;
  for (let n = 0; n < N; n++) {
    const row = (<usize>n * V) << 2;
    let max: f32 = -Infinity;
    for (let v = 0; v < V; v++) max = Mathf.max(max, load<f32>(logits + row + (<usize>v << 2)));
    let sum: f32 = 0;
    for (let v = 0; v < V; v++) {
      const e = Mathf.exp(load<f32>(logits + row + (<usize>v << 2)) - max);
      store<f32>(dlogits + row + (<usize>v << 2), e);
      sum += e;
    }
    const t = load<i32>(targets + (<usize>n << 2));
    const lse = max + Mathf.log(sum);
    const loss = lse - load<f32>(logits + row + (<usize>t << 2));
    store<f32>(losses + (<usize>n << 2), loss);
    total += <f64>loss;
    const inv: f32 = 1 / sum;
    for (let v = 0; v < V; v++) {
      const o = row + (<usize>v << 2);
      store<f32>(dlogits + o, (load<f32>(dlogits + o) * inv - (v == t ? 1 : 0)) * invN);
    }
  }
  return total / <f64>N;
}

/**
 * LayerNorm backward over rows of C (the twin's layerNormBackward): dx from dy, the saved mean and 1/σ and
 * the gain g; dz = dx × the keep factor of the dropout site that fed the residual sum (thr = 0: none);
 * dg, db (C) summed over rows in ascending order.
 */
export function lnBackward(
  dy: usize,
  x: usize,
  mean: usize,
  rstd: usize,
  g: usize,
  dx: usize,
  dz: usize,
  dg: usize,
  db: usize,
  rows: i32,
  C: i32,
  k1: u32,
  k2: u32,
  thr: u32,
  dscale: f32,
): void {
  memory.fill(dg, 0, <usize>C << 2);
  memory.fill(db, 0, <usize>C << 2);
  const invC: f32 = 1 / <f32>C;
  for (let r = 0; r < rows; r++) {
    const m = load<f32>(mean + (<usize>r << 2));
    const s = load<f32>(rstd + (<usize>r << 2));
    const row = (<usize>r * C) << 2;
    let sumG: f32 = 0;
    let sumGX: f32 = 0;
    for (let c = 0; c < C; c++) {
      const o = row + (<usize>c << 2);
      const xh = (load<f32>(x + o) - m) * s;
      const d = load<f32>(dy + o);
      const gy = d * load<f32>(g + (<usize>c << 2));
      sumG += gy;
      sumGX += gy * xh;
      store<f32>(dg + (<usize>c << 2), load<f32>(dg + (<usize>c << 2)) + d * xh);
      store<f32>(db + (<usize>c << 2), load<f32>(db + (<usize>c << 2)) + d);
    }
    for (let c = 0; c < C; c++) {
      const o = row + (<usize>c << 2);
      const xh = (load<f32>(x + o) - m) * s;
      const gy = load<f32>(dy + o) * load<f32>(g + (<usize>c << 2));
      const d = s * (gy - sumG * invC - xh * sumGX * invC);
      store<f32>(dx + o, d);
      store<f32>(dz + o, d * keep(r, c, k1, k2, thr, dscale));
    }
  }
}

/**
 * Causal attention forward per (batch, head), qkv (B·T, 3C) with column h·3hs + kind·hs + d (kind 0 key,
 * 1 query, 2 value): softmax(q·kᵀ/√hs) with dropout on the weights (site row (b·H + h)·T + i, column j),
 * y (B·T, C) = weights · v, and the log-sum-exp of each score row, lse (B·H·T). sc: scratch of T floats.
 */
export function attnForward(
  qkv: usize,
  y: usize,
  lse: usize,
  sc: usize,
  B: i32,
  T: i32,
  H: i32,
  hs: i32,
  k1: u32,
  k2: u32,
  thr: u32,
  dscale: f32,
): void {
  const C = H * hs;
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const qi = qkv + ((<usize>((b * T + i) * C3 + h * 3 * hs + hs)) << 2);
        let max: f32 = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kj = qkv + ((<usize>((b * T + j) * C3 + h * 3 * hs)) << 2);
          const s = dot(qi, kj, hs) * scale;
          store<f32>(sc + (<usize>j << 2), s);
          if (s > max) max = s;
        }
        let sum: f32 = 0;
        for (let j = 0; j <= i; j++) {
          const e = Mathf.exp(load<f32>(sc + (<usize>j << 2)) - max);
          store<f32>(sc + (<usize>j << 2), e);
          sum += e;
        }
        const row = (b * H + h) * T + i;
        store<f32>(lse + (<usize>row << 2), max + Mathf.log(sum));
        const yi = y + ((<usize>((b * T + i) * C + h * hs)) << 2);
        memory.fill(yi, 0, <usize>hs << 2);
        for (let j = 0; j <= i; j++) {
          const w = (load<f32>(sc + (<usize>j << 2)) / sum) * keep(row, j, k1, k2, thr, dscale);
          if (w != 0) axpy(yi, qkv + ((<usize>((b * T + j) * C3 + h * 3 * hs + 2 * hs)) << 2), w, hs);
        }
      }
    }
  }
}

/**
 * Causal attention backward: dqkv (B·T, 3C) from dy (B·T, C), recomputing each weight from q, k and lse
 * (the twin's order: D = dy·y per row; ds = p (dy·v · keep − D); dq += ds k/√hs, dk += ds q/√hs, dv += p keep dy).
 */
export function attnBackward(
  dy: usize,
  qkv: usize,
  y: usize,
  lse: usize,
  dqkv: usize,
  B: i32,
  T: i32,
  H: i32,
  hs: i32,
  k1: u32,
  k2: u32,
  thr: u32,
  dscale: f32,
): void {
  const C = H * hs;
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>hs);
  memory.fill(dqkv, 0, (<usize>(B * T * C3)) << 2);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const row = (b * H + h) * T + i;
        const oi = (<usize>((b * T + i) * C + h * hs)) << 2;
        const dyi = dy + oi;
        const D = dot(dyi, y + oi, hs);
        const qo = (<usize>((b * T + i) * C3 + h * 3 * hs + hs)) << 2;
        const l = load<f32>(lse + (<usize>row << 2));
        for (let j = 0; j <= i; j++) {
          const ko = (<usize>((b * T + j) * C3 + h * 3 * hs)) << 2;
          const vo = ko + ((<usize>(2 * hs)) << 2);
          const p = Mathf.exp(dot(qkv + qo, qkv + ko, hs) * scale - l);
          const m = keep(row, j, k1, k2, thr, dscale);
          const ds = p * (dot(dyi, qkv + vo, hs) * m - D);
          axpy(dqkv + qo, qkv + ko, ds * scale, hs);
          axpy(dqkv + ko, qkv + qo, ds * scale, hs);
          if (p * m != 0) axpy(dqkv + vo, dyi, p * m, hs);
        }
      }
    }
  }
}

/** The first byte after this module's static data: where the host may start laying out its buffers. */
export function heapBase(): usize {
  return __heap_base;
}
