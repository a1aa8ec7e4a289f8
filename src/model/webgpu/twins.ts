/**
 * CPU twins of the WGSL kernels in ./kernels.ts: the same computation, the same memory layouts, in plain
 * TypeScript (double-precision accumulation rounded to float32 on store). They define what each kernel
 * must compute; unit tests check them against the PyTorch goldens, and the browser self-check (./check.ts)
 * checks every GPU kernel against its twin.
 *
 * Layouts (N = B·T tokens, row-major): activations (N, C); qkv (N, 3C) with column h·3hs + kind·hs + d
 * (kind 0 key, 1 query, 2 value: the notes' heads.h.{key,query,value}.weight stacked in PyTorch order);
 * attention output (N, C) with column h·hs + d (torch.cat of the heads); Linear weights (out, in).
 */
import type { AdamWScalars } from '../adamw-scalars';
import { hashAt } from './hash';

/** A dropout site: the hash keys, the drop threshold on the residue and the keep scale 1/(1 − rate). */
export interface DropSite {
  k1: number;
  k2: number;
  thr: number;
  scale: number;
}

/** The scaled keep value of element (r, c) of a site (1 without dropout). */
export function dropAt(site: DropSite | null, r: number, c: number): number {
  if (!site) return 1;
  return hashAt(r, c, site.k1, site.k2) >= site.thr ? site.scale : 0;
}

/** embed: x (N, C) = wte[idx] + wpe[t]. */
export function embedForward(
  idx: Int32Array,
  wte: Float32Array,
  wpe: Float32Array,
  B: number,
  T: number,
  C: number,
): Float32Array {
  const x = new Float32Array(B * T * C); // (N, C)
  for (let n = 0; n < B * T; n++) {
    const t = n % T;
    for (let c = 0; c < C; c++) x[n * C + c] = wte[idx[n] * C + c] + wpe[t * C + c];
  }
  return x;
}

/** embed backward: dwte (V, C) sums dx over the positions of each token; dwpe (Tmax, C) over the batch. */
export function embedBackward(
  idx: Int32Array,
  dx: Float32Array,
  V: number,
  Tmax: number,
  B: number,
  T: number,
  C: number,
): { dwte: Float32Array; dwpe: Float32Array } {
  // Each token's rows summed in ascending n in double precision (one pass over dx, not one per token).
  const sums = new Float64Array(V * C); // (V, C)
  for (let n = 0; n < B * T; n++) {
    const o = idx[n] * C;
    for (let c = 0; c < C; c++) sums[o + c] += dx[n * C + c];
  }
  const dwte = Float32Array.from(sums); // (V, C)
  const dwpe = new Float32Array(Tmax * C); // (Tmax, C)
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let b = 0; b < B; b++) s += dx[(b * T + t) * C + c];
      dwpe[t * C + c] = s;
    }
  }
  return { dwte, dwpe };
}

/** Strides of a matmul operand: element (i, j) of A (M, K) is a[i·s0 + j·s1]; of B (K, N) b[i·s0 + j·s1]. */
export type Strides = [number, number];

/** What a matmul adds after the product, in this order: bias, ReLU, dropout, residual; or the ReLU gradient. */
export interface Epilogue {
  /** (N) added to every row. */
  bias?: Float32Array;
  relu?: boolean;
  /** Dropout on the (M, N) output viewed as rows × cols. */
  drop?: DropSite | null;
  /** (M, N) added last. */
  residual?: Float32Array;
  /** Mixed precision (the `shader-f16` kernels): inputs and each product rounded to f16, sums in f32. */
  f16?: boolean;
  /** (M, N): multiply by (gate > 0), the ReLU backward through a saved post-ReLU activation. */
  reluGate?: Float32Array;
}

/** x rounded to the nearest IEEE half-precision value (ties to even; overflow to ±∞, subnormals kept). */
export function f16round(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10); // 10 mantissa bits; below 2⁻¹⁴ the subnormal spacing
  const v = a / ulp;
  let r = Math.round(v);
  if (Math.abs(v - Math.trunc(v)) === 0.5) r = 2 * Math.round(v / 2);
  return Math.sign(x) * r * ulp;
}

/** C (M, N) = A (M, K) · B (K, N) with strided operands and a fused epilogue. */
export function matmul(
  a: Float32Array,
  sa: Strides,
  b: Float32Array,
  sb: Strides,
  M: number,
  N: number,
  K: number,
  ep: Epilogue = {},
): Float32Array {
  const out = new Float32Array(M * N); // (M, N)
  const h = ep.f16 ? f16round : (x: number) => x;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += h(h(a[i * sa[0] + k * sa[1]]) * h(b[k * sb[0] + j * sb[1]]));
      if (ep.bias) s += ep.bias[j];
      if (ep.relu) s = Math.max(s, 0);
      s *= dropAt(ep.drop ?? null, i, j);
      if (ep.residual) s += ep.residual[i * N + j];
      if (ep.reluGate && !(ep.reluGate[i * N + j] > 0)) s = 0;
      out[i * N + j] = s;
    }
  }
  return out;
}

/** Column sums of (M, N): the bias gradient. */
export function colSum(x: Float32Array, M: number, N: number): Float32Array {
  const out = new Float32Array(N);
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let i = 0; i < M; i++) s += x[i * N + j];
    out[j] = s;
  }
  return out;
}

/** nn.LayerNorm forward over rows of C (biased variance): y, and the mean and 1/σ each row keeps. */
export function layerNormForward(
  x: Float32Array,
  g: Float32Array,
  b: Float32Array,
  rows: number,
  C: number,
  eps: number,
): { y: Float32Array; mean: Float32Array; rstd: Float32Array } {
  const y = new Float32Array(rows * C); // (rows, C)
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let c = 0; c < C; c++) m += x[r * C + c];
    m /= C;
    let v = 0;
    for (let c = 0; c < C; c++) v += (x[r * C + c] - m) ** 2;
    const s = 1 / Math.sqrt(v / C + eps);
    mean[r] = m;
    rstd[r] = s;
    for (let c = 0; c < C; c++) y[r * C + c] = (x[r * C + c] - m) * s * g[c] + b[c];
  }
  return { y, mean, rstd };
}

/**
 * LayerNorm backward: dx (rows, C) from dy; with a dropout site also dz = dx ∘ mask (the gradient of the
 * dropped branch that fed the residual sum); dg, db (C) summed over rows.
 */
export function layerNormBackward(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  g: Float32Array,
  rows: number,
  C: number,
  drop: DropSite | null = null,
): { dx: Float32Array; dz: Float32Array; dg: Float32Array; db: Float32Array } {
  const dx = new Float32Array(rows * C);
  const dz = new Float32Array(rows * C);
  const dg = new Float32Array(C);
  const db = new Float32Array(C);
  for (let r = 0; r < rows; r++) {
    let sumG = 0;
    let sumGX = 0;
    for (let c = 0; c < C; c++) {
      const xh = (x[r * C + c] - mean[r]) * rstd[r];
      const gy = dy[r * C + c] * g[c];
      sumG += gy;
      sumGX += gy * xh;
    }
    for (let c = 0; c < C; c++) {
      const xh = (x[r * C + c] - mean[r]) * rstd[r];
      const gy = dy[r * C + c] * g[c];
      const d = rstd[r] * (gy - sumG / C - (xh * sumGX) / C);
      dx[r * C + c] = d;
      dz[r * C + c] = d * dropAt(drop, r, c);
    }
  }
  for (let c = 0; c < C; c++) {
    let sg = 0;
    let sb = 0;
    for (let r = 0; r < rows; r++) {
      sg += dy[r * C + c] * (x[r * C + c] - mean[r]) * rstd[r];
      sb += dy[r * C + c];
    }
    dg[c] = sg;
    db[c] = sb;
  }
  return { dx, dz, dg, db };
}

/** Shapes of one attention call. */
export interface AttnShape {
  B: number;
  T: number;
  H: number;
  hs: number;
}

/** Column of q, k or v (kind 1, 0, 2) of head h, dimension d, in the qkv layout. */
export function qkvCol(h: number, kind: number, d: number, hs: number): number {
  return h * 3 * hs + kind * hs + d;
}

/**
 * Causal attention forward per (batch, head): weights = softmax(q·kᵀ/√hs + causal mask), dropout on the
 * weights (site rows (b·H + h)·T + i, columns j), y = weights · v. Returns y (N, C), the log-sum-exp of
 * every score row (B, H, T) the backward needs, and the weights before dropout (B, H, T, T) for display.
 */
export function attentionForward(
  qkv: Float32Array,
  s: AttnShape,
  drop: DropSite | null = null,
): { y: Float32Array; lse: Float32Array; weights: Float32Array } {
  const { B, T, H, hs } = s;
  const C = H * hs;
  const C3 = 3 * C;
  const y = new Float32Array(B * T * C);
  const lse = new Float32Array(B * H * T);
  const weights = new Float32Array(B * H * T * T);
  const scale = 1 / Math.sqrt(hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const qi = (b * T + i) * C3;
        const sc = new Float64Array(i + 1);
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kj = (b * T + j) * C3;
          let dot = 0;
          for (let d = 0; d < hs; d++) dot += qkv[qi + qkvCol(h, 1, d, hs)] * qkv[kj + qkvCol(h, 0, d, hs)];
          sc[j] = dot * scale;
          max = Math.max(max, sc[j]);
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) sum += Math.exp(sc[j] - max);
        const row = (b * H + h) * T + i;
        lse[row] = max + Math.log(sum);
        for (let d = 0; d < hs; d++) {
          let o = 0;
          for (let j = 0; j <= i; j++) {
            const p = Math.exp(sc[j] - max) / sum;
            o += p * dropAt(drop, row, j) * qkv[(b * T + j) * C3 + qkvCol(h, 2, d, hs)];
          }
          y[(b * T + i) * C + h * hs + d] = o;
        }
        for (let j = 0; j <= i; j++) weights[row * T + j] = Math.exp(sc[j] - max) / sum;
      }
    }
  }
  return { y, lse, weights };
}

/** Causal attention backward: dqkv (N, 3C) from dy (N, C), recomputing the weights from q, k and lse. */
export function attentionBackward(
  dy: Float32Array,
  qkv: Float32Array,
  y: Float32Array,
  lse: Float32Array,
  s: AttnShape,
  drop: DropSite | null = null,
): Float32Array {
  const { B, T, H, hs } = s;
  const C = H * hs;
  const C3 = 3 * C;
  const dqkv = new Float32Array(B * T * C3);
  const scale = 1 / Math.sqrt(hs);
  const at = (b: number, t: number, h: number, kind: number, d: number): number =>
    (b * T + t) * C3 + qkvCol(h, kind, d, hs);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < T; i++) {
        const row = (b * H + h) * T + i;
        let D = 0; // rowsum(dO ∘ O)
        for (let d = 0; d < hs; d++) D += dy[(b * T + i) * C + h * hs + d] * y[(b * T + i) * C + h * hs + d];
        for (let j = 0; j <= i; j++) {
          let dot = 0;
          let dpd = 0;
          for (let d = 0; d < hs; d++) {
            dot += qkv[at(b, i, h, 1, d)] * qkv[at(b, j, h, 0, d)];
            dpd += dy[(b * T + i) * C + h * hs + d] * qkv[at(b, j, h, 2, d)];
          }
          const p = Math.exp(dot * scale - lse[row]);
          const m = dropAt(drop, row, j);
          const ds = p * (dpd * m - D);
          for (let d = 0; d < hs; d++) {
            dqkv[at(b, i, h, 1, d)] += ds * qkv[at(b, j, h, 0, d)] * scale;
            dqkv[at(b, j, h, 0, d)] += ds * qkv[at(b, i, h, 1, d)] * scale;
            dqkv[at(b, j, h, 2, d)] += p * m * dy[(b * T + i) * C + h * hs + d];
          }
        }
      }
    }
  }
  return dqkv;
}

/** Softmax cross-entropy per row fused with its gradient: losses (N), mean loss, dlogits = (softmax − onehot)/N. */
export function crossEntropy(
  logits: Float32Array,
  targets: Int32Array,
  N: number,
  V: number,
): { losses: Float32Array; loss: number; dlogits: Float32Array } {
  const losses = new Float32Array(N);
  const dlogits = new Float32Array(N * V);
  let total = 0;
  for (let n = 0; n < N; n++) {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[n * V + v]);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[n * V + v] - max);
    const lse = max + Math.log(sum);
    losses[n] = lse - logits[n * V + targets[n]];
    total += losses[n];
    for (let v = 0; v < V; v++) {
      dlogits[n * V + v] = (Math.exp(logits[n * V + v] - lse) - (v === targets[n] ? 1 : 0)) / N;
    }
  }
  return { losses, loss: total / N, dlogits };
}

/** One AdamW step in place over flat p, m, v with gradients g (torch.optim.AdamW's order of operations). */
export function adamwStep(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  s: AdamWScalars,
): void {
  const f = Math.fround;
  for (let i = 0; i < p.length; i++) {
    m[i] = f(f(m[i] * f(s.beta1)) + f(g[i] * f(s.oneMinusBeta1)));
    v[i] = f(f(v[i] * f(s.beta2)) + f(f(g[i] * g[i]) * f(s.oneMinusBeta2)));
    const denom = f(f(Math.sqrt(v[i]) / f(s.biasCorrection2Sqrt)) + f(s.eps));
    p[i] = f(f(p[i] * f(s.decay)) - f(f(m[i] / denom) * f(s.stepSize)));
  }
}
