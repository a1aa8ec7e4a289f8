/**
 * The host side of ./kernels.wasm (its source: ./assembly/kernels.ts): instantiate the module and call each
 * kernel with its CPU twin's signature (../webgpu/twins.ts), so the reference step (../webgpu/reference.ts)
 * runs on it unchanged. Operands are packed row-major into the module's memory (a bump arena reset per
 * call), the kernel runs, and the result is copied out as a new Float32Array, as the twins return them.
 */
import type { StepKernels } from '../webgpu/reference';
import type { DropSite, Strides } from '../webgpu/twins';

/** What ./kernels.wasm exports (pointers are byte offsets into `memory`). */
interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  hashResidue(r: number, c: number, k1: number, k2: number): number;
  matmul(a: number, b: number, c: number, M: number, N: number, K: number): void;
  epilogue(
    c: number,
    M: number,
    N: number,
    bias: number,
    relu: number,
    k1: number,
    k2: number,
    thr: number,
    dscale: number,
    residual: number,
    reluGate: number,
  ): void;
  lnForward(
    x: number,
    g: number,
    b: number,
    y: number,
    mean: number,
    rstd: number,
    rows: number,
    C: number,
    eps: number,
  ): void;
  crossEntropy(
    logits: number,
    targets: number,
    losses: number,
    dlogits: number,
    N: number,
    V: number,
  ): number;
  lnBackward(
    dy: number,
    x: number,
    mean: number,
    rstd: number,
    g: number,
    dx: number,
    dz: number,
    dg: number,
    db: number,
    rows: number,
    C: number,
    k1: number,
    k2: number,
    thr: number,
    dscale: number,
  ): void;
  attnForward(
    qkv: number,
    y: number,
    lse: number,
    sc: number,
    B: number,
    T: number,
    H: number,
    hs: number,
    k1: number,
    k2: number,
    thr: number,
    dscale: number,
  ): void;
  attnBackward(
    dy: number,
    qkv: number,
    y: number,
    lse: number,
    dqkv: number,
    B: number,
    T: number,
    H: number,
    hs: number,
    k1: number,
    k2: number,
    thr: number,
    dscale: number,
  ): void;
}

/** The hash arguments of a dropout site: keys, threshold (0 = no dropout) and keep scale. */
function site(drop: DropSite | null | undefined): [number, number, number, number] {
  return drop ? [drop.k1, drop.k2, drop.thr, drop.scale] : [0, 0, 0, 1];
}

const PAGE = 65536;

/** The matmul, attention and epilogue kernels of the WebAssembly engine, with the twins' signatures. */
export class WasmKernels {
  private readonly x: KernelExports;
  private readonly base: number;
  private top: number;

  constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as KernelExports;
    this.base = Math.ceil(this.x.heapBase() / 64) * 64;
    this.top = this.base;
  }

  /** Bytes of linear memory the module holds now (it grows to the largest call and stays there). */
  get memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /** The hash residue computed in wasm (for tests against ../webgpu/hash.ts hashAt). */
  hashResidue(r: number, c: number, k1: number, k2: number): number {
    return this.x.hashResidue(r, c, k1, k2);
  }

  /** A float32 view of the whole memory (made anew: growing detaches the old one). */
  private view(): Float32Array {
    return new Float32Array(this.x.memory.buffer);
  }

  /** Reserve `floats` float32 values, 64-byte aligned, growing the memory when needed; returns the byte offset. */
  private alloc(floats: number): number {
    const p = this.top;
    this.top = Math.ceil((p + floats * 4) / 64) * 64;
    const short = this.top - this.x.memory.buffer.byteLength;
    if (short > 0) this.x.memory.grow(Math.ceil(short / PAGE));
    return p;
  }

  /** Copy an array in; returns its byte offset. */
  private put(a: Float32Array): number {
    const p = this.alloc(a.length);
    this.view().set(a, p / 4);
    return p;
  }

  /** Copy a strided (rows, cols) operand in as row-major: element (r, c) at src[r·s[0] + c·s[1]]. */
  private putStrided(src: Float32Array, s: Strides, rows: number, cols: number): number {
    if (s[0] === cols && s[1] === 1) return this.put(src.subarray(0, rows * cols));
    const p = this.alloc(rows * cols);
    const v = this.view();
    let o = p / 4;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) v[o++] = src[r * s[0] + c * s[1]];
    }
    return p;
  }

  /** Copy `n` floats out from a byte offset. */
  private take(p: number, n: number): Float32Array {
    return this.view().slice(p / 4, p / 4 + n);
  }

  /** C (M, N) = A (M, K) · B (K, N) with strided operands and the fused epilogue (twins.matmul's contract, f32). */
  readonly matmul: StepKernels['matmul'] = (a, sa, b, sb, M, N, K, ep = {}) => {
    if (ep.f16) throw new Error('The WebAssembly engine computes in float32 only (no f16 matmul inputs).');
    this.top = this.base;
    const pa = this.putStrided(a, sa, M, K); // (M, K)
    const pb = this.putStrided(b, sb, K, N); // (K, N)
    const pc = this.alloc(M * N); // (M, N)
    this.x.matmul(pa, pb, pc, M, N, K);
    if (ep.bias || ep.relu || ep.drop || ep.residual || ep.reluGate) {
      const bias = ep.bias ? this.put(ep.bias) : 0; // (N)
      const res = ep.residual ? this.put(ep.residual) : 0; // (M, N)
      const gate = ep.reluGate ? this.put(ep.reluGate) : 0; // (M, N)
      this.x.epilogue(pc, M, N, bias, ep.relu ? 1 : 0, ...site(ep.drop), res, gate);
    }
    return this.take(pc, M * N);
  };

  /** nn.LayerNorm forward (twins.layerNormForward): y (rows, C), each row's mean and 1/σ. */
  readonly layerNormForward: StepKernels['layerNormForward'] = (x, g, b, rows, C, eps) => {
    this.top = this.base;
    const px = this.put(x.subarray(0, rows * C)); // (rows, C)
    const [pg, pb] = [this.put(g), this.put(b)]; // (C) each
    const py = this.alloc(rows * C); // (rows, C)
    const [pm, pr] = [this.alloc(rows), this.alloc(rows)]; // (rows) each
    this.x.lnForward(px, pg, pb, py, pm, pr, rows, C, eps);
    return { y: this.take(py, rows * C), mean: this.take(pm, rows), rstd: this.take(pr, rows) };
  };

  /** Softmax cross-entropy fused with its gradient (twins.crossEntropy): losses, mean loss, dlogits. */
  readonly crossEntropy: StepKernels['crossEntropy'] = (logits, targets, N, V) => {
    this.top = this.base;
    const pl = this.put(logits.subarray(0, N * V)); // (N, V)
    const pt = this.alloc(N); // (N) int32 ids
    new Int32Array(this.x.memory.buffer, pt, N).set(targets.subarray(0, N));
    const [ploss, pd] = [this.alloc(N), this.alloc(N * V)];
    const loss = this.x.crossEntropy(pl, pt, ploss, pd, N, V);
    return { losses: this.take(ploss, N), loss, dlogits: this.take(pd, N * V) };
  };

  /** LayerNorm backward (twins.layerNormBackward): dx, dz = dx × the site's keep factors, dg and db. */
  readonly layerNormBackward: StepKernels['layerNormBackward'] = (
    dy,
    x,
    mean,
    rstd,
    g,
    rows,
    C,
    drop = null,
  ) => {
    this.top = this.base;
    const n = rows * C;
    const [pdy, px] = [this.put(dy.subarray(0, n)), this.put(x.subarray(0, n))]; // (rows, C) each
    const [pm, pr] = [this.put(mean.subarray(0, rows)), this.put(rstd.subarray(0, rows))]; // (rows)
    const pg = this.put(g); // (C)
    const [pdx, pdz] = [this.alloc(n), this.alloc(n)]; // (rows, C)
    const [pdg, pdb] = [this.alloc(C), this.alloc(C)]; // (C)
    this.x.lnBackward(pdy, px, pm, pr, pg, pdx, pdz, pdg, pdb, rows, C, ...site(drop));
    return { dx: this.take(pdx, n), dz: this.take(pdz, n), dg: this.take(pdg, C), db: this.take(pdb, C) };
  };

  /** Causal attention forward (twins.attentionForward without the display weights): y (N, C), lse (B·H·T). */
  readonly attentionForward: StepKernels['attentionForward'] = (qkv, s, drop = null) => {
    const { B, T, H, hs } = s;
    this.top = this.base;
    const pqkv = this.put(qkv.subarray(0, B * T * 3 * H * hs)); // (N, 3C)
    const py = this.alloc(B * T * H * hs); // (N, C)
    const plse = this.alloc(B * H * T); // (B, H, T)
    const sc = this.alloc(T); // one row of scores
    this.x.attnForward(pqkv, py, plse, sc, B, T, H, hs, ...site(drop));
    return { y: this.take(py, B * T * H * hs), lse: this.take(plse, B * H * T) };
  };

  /** Causal attention backward (twins.attentionBackward): dqkv (N, 3C) from dy (N, C). */
  readonly attentionBackward: StepKernels['attentionBackward'] = (dy, qkv, y, lse, s, drop = null) => {
    const { B, T, H, hs } = s;
    const n = B * T * H * hs;
    this.top = this.base;
    const pdy = this.put(dy.subarray(0, n)); // (N, C)
    const pqkv = this.put(qkv.subarray(0, 3 * n)); // (N, 3C)
    const py = this.put(y.subarray(0, n)); // (N, C)
    const plse = this.put(lse.subarray(0, B * H * T)); // (B, H, T)
    const pd = this.alloc(3 * n); // (N, 3C)
    this.x.attnBackward(pdy, pqkv, py, plse, pd, B, T, H, hs, ...site(drop));
    return this.take(pd, 3 * n);
  };
}

/** Instantiate ./kernels.wasm from its bytes (Node: the file; a browser: fetched from its bundled URL). */
export async function instantiateKernels(bytes: BufferSource): Promise<WasmKernels> {
  const { instance } = await WebAssembly.instantiate(bytes, {});
  return new WasmKernels(instance);
}
