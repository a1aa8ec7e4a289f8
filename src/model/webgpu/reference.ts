/**
 * The whole training step composed from the CPU twins, in exactly the order and layouts the WebGPU engine
 * runs its kernels: the twins' integration test against the PyTorch goldens (tests/unit/model/webgpu-twins)
 * and a readable map of the engine's forward and backward.
 */
import type { GPTConfig } from '../config';
import { hashKeys, threshold } from './hash';
import * as K from './twins';

/** PyTorch's nn.LayerNorm epsilon. */
export const LN_EPS = 1e-5;

/** The dropout site of layer l, slot 0 (attention weights), 1 (projection) or 2 (feed-forward), at a step. */
export function dropSite(cfg: GPTConfig, step: number, layer: number, slot: number): K.DropSite | null {
  if (cfg.dropout <= 0) return null;
  const [k1, k2] = hashKeys(cfg.seed, step, layer * 4 + slot);
  return { k1, k2, thr: threshold(cfg.dropout), scale: Math.fround(1 / (1 - cfg.dropout)) };
}

/** Parameters by PyTorch name (flat Float32Arrays in PyTorch layout). */
export type Params = Map<string, Float32Array>;

/** The stacked (3C, C) key/query/value weight of a layer in PyTorch's parameter order. */
export function stackedQkv(p: Params, layer: number, H: number): Float32Array {
  const parts: Float32Array[] = [];
  for (let h = 0; h < H; h++) {
    for (const kind of ['key', 'query', 'value'])
      parts.push(p.get(`blocks.${layer}.sa.heads.${h}.${kind}.weight`)!);
  }
  const out = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of parts) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** The kernels a reference step calls: the twins, or any set with their contracts (the WebAssembly engine's). */
export interface StepKernels {
  matmul: typeof K.matmul;
  attentionForward(
    qkv: Float32Array,
    s: K.AttnShape,
    drop: K.DropSite | null,
  ): { y: Float32Array; lse: Float32Array };
  attentionBackward: typeof K.attentionBackward;
  layerNormBackward: typeof K.layerNormBackward;
  layerNormForward: typeof K.layerNormForward;
  crossEntropy: typeof K.crossEntropy;
}

/** The CPU twins themselves (double-precision sums, one element at a time). */
export const TWIN_KERNELS: StepKernels = {
  matmul: K.matmul,
  attentionForward: K.attentionForward,
  attentionBackward: K.attentionBackward,
  layerNormBackward: K.layerNormBackward,
  layerNormForward: K.layerNormForward,
  crossEntropy: K.crossEntropy,
};

/** Forward (and, with targets, backward) of the notes' post-LN GPT on the CPU twins (or `opts.kernels`). */
export function referenceStep(
  cfg: GPTConfig,
  p: Params,
  x: Int32Array,
  y: Int32Array | null,
  B: number,
  T: number,
  opts: {
    training?: boolean;
    step?: number;
    f16?: boolean;
    kernels?: StepKernels;
    /** Stop after the loss: no backward, no gradients (loss estimates). */
    lossOnly?: boolean;
    /** Collects each layer's attention weights (B, H, T, T) before dropout, from the twin (for display). */
    attentionWeights?: Float32Array[];
  } = {},
): { logits: Float32Array; loss: number; grads: Params } {
  const ks = opts.kernels ?? TWIN_KERNELS;
  // Every matmul through the twin, in mixed precision (f16 inputs and products) when opts.f16.
  const mm = (...a: Parameters<typeof K.matmul>): Float32Array =>
    ks.matmul(a[0], a[1], a[2], a[3], a[4], a[5], a[6], { ...a[7], f16: opts.f16 });
  const { vocabSize: V, nEmbd: C, nHead: H, nLayer: L } = cfg;
  const hs = C / H;
  const N = B * T;
  const drop = (l: number, slot: number): K.DropSite | null =>
    opts.training ? dropSite(cfg, opts.step ?? 0, l, slot) : null;
  // Forward linears: X (N, in) · Wᵀ, strides [in, 1] and [1, in].
  const w = (n: string): Float32Array => p.get(n)!;
  const saved: Record<string, Float32Array>[] = [];
  let h0 = K.embedForward(
    x,
    w('token_embedding_table.weight'),
    w('position_embedding_table.weight'),
    B,
    T,
    C,
  );
  for (let l = 0; l < L; l++) {
    const b = `blocks.${l}`;
    const wqkv = stackedQkv(p, l, H);
    const qkv = mm(h0, [C, 1], wqkv, [1, C], N, 3 * C, C); // (N, 3C)
    const att = ks.attentionForward(qkv, { B, T, H, hs }, drop(l, 0)); // y (N, C)
    opts.attentionWeights?.push(K.attentionForward(qkv, { B, T, H, hs }).weights); // (B, H, T, T)
    const s1 = mm(att.y, [C, 1], w(`${b}.sa.proj.weight`), [1, C], N, C, C, {
      bias: w(`${b}.sa.proj.bias`),
      drop: drop(l, 1),
      residual: h0,
    }); // (N, C) = x + drop(proj(y))
    const ln1 = ks.layerNormForward(s1, w(`${b}.ln1.weight`), w(`${b}.ln1.bias`), N, C, LN_EPS);
    const hid = mm(ln1.y, [C, 1], w(`${b}.ffwd.net.0.weight`), [1, C], N, 4 * C, C, {
      bias: w(`${b}.ffwd.net.0.bias`),
      relu: true,
    }); // (N, 4C)
    const s2 = mm(hid, [4 * C, 1], w(`${b}.ffwd.net.2.weight`), [1, 4 * C], N, C, 4 * C, {
      bias: w(`${b}.ffwd.net.2.bias`),
      drop: drop(l, 2),
      residual: ln1.y,
    }); // (N, C)
    const ln2 = ks.layerNormForward(s2, w(`${b}.ln2.weight`), w(`${b}.ln2.bias`), N, C, LN_EPS);
    saved.push({
      xin: h0,
      wqkv,
      qkv,
      y: att.y,
      lse: att.lse,
      s1,
      m1: ln1.mean,
      r1: ln1.rstd,
      x1: ln1.y,
      hid,
      s2,
      m2: ln2.mean,
      r2: ln2.rstd,
    });
    h0 = ln2.y;
  }
  const lnf = ks.layerNormForward(h0, w('ln_f.weight'), w('ln_f.bias'), N, C, LN_EPS);
  const logits = mm(lnf.y, [C, 1], w('lm_head.weight'), [1, C], N, V, C, { bias: w('lm_head.bias') });
  const grads: Params = new Map();
  if (!y) return { logits, loss: NaN, grads };
  const ce = ks.crossEntropy(logits, y, N, V);
  if (opts.lossOnly) return { logits, loss: ce.loss, grads };
  // Backward: dW = dYᵀ·X (strides [1, out] and [in, 1]), dX = dY·W (strides [out, 1] and [in, 1]).
  const dW = (dy: Float32Array, xin: Float32Array, out: number, inDim: number): Float32Array =>
    mm(dy, [1, out], xin, [inDim, 1], out, inDim, N);
  const dX = (
    dy: Float32Array,
    wt: Float32Array,
    out: number,
    inDim: number,
    ep: K.Epilogue = {},
  ): Float32Array => mm(dy, [out, 1], wt, [inDim, 1], N, inDim, out, ep);
  grads.set('lm_head.weight', dW(ce.dlogits, lnf.y, V, C));
  grads.set('lm_head.bias', K.colSum(ce.dlogits, N, V));
  const dlnf = dX(ce.dlogits, w('lm_head.weight'), V, C);
  const bf = ks.layerNormBackward(dlnf, h0, lnf.mean, lnf.rstd, w('ln_f.weight'), N, C);
  grads.set('ln_f.weight', bf.dg);
  grads.set('ln_f.bias', bf.db);
  let dh = bf.dx;
  for (let l = L - 1; l >= 0; l--) {
    const b = `blocks.${l}`;
    const s = saved[l];
    const b2 = ks.layerNormBackward(dh, s.s2, s.m2, s.r2, w(`${b}.ln2.weight`), N, C, drop(l, 2));
    grads.set(`${b}.ln2.weight`, b2.dg);
    grads.set(`${b}.ln2.bias`, b2.db);
    grads.set(`${b}.ffwd.net.2.weight`, dW(b2.dz, s.hid, C, 4 * C));
    grads.set(`${b}.ffwd.net.2.bias`, K.colSum(b2.dz, N, C));
    const dhid = dX(b2.dz, w(`${b}.ffwd.net.2.weight`), C, 4 * C, { reluGate: s.hid });
    grads.set(`${b}.ffwd.net.0.weight`, dW(dhid, s.x1, 4 * C, C));
    grads.set(`${b}.ffwd.net.0.bias`, K.colSum(dhid, N, 4 * C));
    const dx1 = dX(dhid, w(`${b}.ffwd.net.0.weight`), 4 * C, C, { residual: b2.dx });
    const b1 = ks.layerNormBackward(dx1, s.s1, s.m1, s.r1, w(`${b}.ln1.weight`), N, C, drop(l, 1));
    grads.set(`${b}.ln1.weight`, b1.dg);
    grads.set(`${b}.ln1.bias`, b1.db);
    grads.set(`${b}.sa.proj.weight`, dW(b1.dz, s.y, C, C));
    grads.set(`${b}.sa.proj.bias`, K.colSum(b1.dz, N, C));
    const dy = dX(b1.dz, w(`${b}.sa.proj.weight`), C, C);
    const dqkv = ks.attentionBackward(dy, s.qkv, s.y, s.lse, { B, T, H, hs }, drop(l, 0));
    const dwqkv = dW(dqkv, s.xin, 3 * C, C); // (3C, C) in the stacked order
    for (let h = 0; h < H; h++) {
      ['key', 'query', 'value'].forEach((kind, k) => {
        const o = (h * 3 + k) * hs * C;
        grads.set(`${b}.sa.heads.${h}.${kind}.weight`, dwqkv.slice(o, o + hs * C));
      });
    }
    dh = dX(dqkv, s.wqkv, 3 * C, C, { residual: b1.dx });
  }
  const eb = K.embedBackward(x, dh, V, cfg.blockSize, B, T, C);
  grads.set('token_embedding_table.weight', eb.dwte);
  grads.set('position_embedding_table.weight', eb.dwpe);
  return { logits, loss: ce.loss, grads };
}
