/**
 * The WebGPU engine's memory plan, computed from the config alone before anything is allocated: where every
 * parameter lives in the flat parameter / gradient / moment buffers, which activation buffers a step needs
 * and how big each is, and whether the adapter's limits allow it (with a message naming the limit if not).
 * Flat buffers larger than maxStorageBufferBindingSize are split into binding-sized chunks instead, and a
 * batch whose activations would pass it runs in row slices: a few sequences at a time through activation
 * buffers sized for one slice, each slice adding its weight gradients to the earlier slices' (./slices.ts).
 */
import type { GPTConfig } from '../config';
import { parameterSpecs } from '../params';

/** Floats between aligned offsets: 64 floats = 256 bytes, WebGPU's usual minStorageBufferOffsetAlignment. */
export const ALIGN_FLOATS = 64;

/** One parameter's place in the flat buffers. */
export interface ParamSlot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/** The flat layout: every parameter in PyTorch order; each layer's key/query/value weights stacked (3C, C). */
export interface ParamLayout {
  slots: ParamSlot[];
  byName: Map<string, ParamSlot>;
  /** Offset of layer l's stacked (3C, C) qkv weight (heads in PyTorch order: h, then key/query/value). */
  qkvOffset: number[];
  /** Floats in each flat buffer (parameters plus alignment padding). */
  total: number;
}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Lay the parameters out: aligned starts, except inside a layer's stacked qkv block (contiguous). */
export function paramLayout(cfg: GPTConfig, align = ALIGN_FLOATS): ParamLayout {
  const slots: ParamSlot[] = [];
  const qkvOffset: number[] = [];
  let at = 0;
  for (const spec of parameterSpecs(cfg)) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const head = /^blocks\.(\d+)\.sa\.heads\.(\d+)\.(key|query|value)\.weight$/.exec(spec.name);
    const firstOfBlock = head && head[2] === '0' && head[3] === 'key';
    if (!head || firstOfBlock) at = alignUp(at, align);
    if (firstOfBlock) qkvOffset.push(at);
    slots.push({ name: spec.name, shape: spec.shape, offset: at, size });
    at += size;
  }
  const total = alignUp(at, align);
  return { slots, byName: new Map(slots.map((s) => [s.name, s])), qkvOffset, total };
}

/** One buffer of the plan: its name, float count and what it holds. */
export interface BufferSpec {
  name: string;
  floats: number;
}

/**
 * Every buffer the engine allocates for a config: the flat buffers, and the activations of `sliceB`
 * sequences of up to blockSize tokens (default the whole batch; fewer when the batch runs in row slices).
 */
export function bufferPlan(cfg: GPTConfig, layout = paramLayout(cfg), sliceB = cfg.batchSize): BufferSpec[] {
  const { vocabSize: V, blockSize: T, nEmbd: C, nHead: H, nLayer: L } = cfg;
  const B = sliceB;
  const N = B * T;
  const out: BufferSpec[] = ['params', 'grads', 'adamM', 'adamV'].map((name) => ({
    name,
    floats: layout.total,
  }));
  out.push({ name: 'x0', floats: N * C });
  for (let l = 0; l < L; l++) {
    out.push(
      { name: `qkv${l}`, floats: N * 3 * C },
      { name: `att${l}`, floats: N * C },
      { name: `lse${l}`, floats: B * H * T },
      { name: `s1_${l}`, floats: N * C },
      { name: `st1_${l}`, floats: 2 * N },
      { name: `x1_${l}`, floats: N * C },
      { name: `hid${l}`, floats: N * 4 * C },
      { name: `s2_${l}`, floats: N * C },
      { name: `st2_${l}`, floats: 2 * N },
      { name: `x${l + 1}`, floats: N * C },
    );
  }
  out.push(
    { name: 'lnf', floats: N * C },
    { name: 'stf', floats: 2 * N },
    { name: 'logits', floats: N * V },
    { name: 'losses', floats: N },
    { name: 'dlogits', floats: N * V },
    { name: 'dA', floats: N * C },
    { name: 'dB', floats: N * C },
    { name: 'dZ', floats: N * C },
    { name: 'dHid', floats: N * 4 * C },
    { name: 'dAtt', floats: N * C },
    { name: 'dQkv', floats: N * 3 * C },
    { name: 'dRow', floats: B * H * T },
  );
  return out;
}

/** The adapter limits the plan is checked against. */
export interface PlanLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

/** A range of a buffer, in floats. */
export interface FloatRange {
  offset: number;
  size: number;
}

/**
 * Split `total` floats into consecutive ranges of at most `maxBindingBytes` bytes each, every start a
 * multiple of `align` floats (minStorageBufferOffsetAlignment): the bindings of one dispatch per range.
 * Empty when not even `align` floats fit one binding.
 */
export function bindingChunks(total: number, maxBindingBytes: number, align = ALIGN_FLOATS): FloatRange[] {
  const per = Math.floor(maxBindingBytes / 4 / align) * align;
  if (per <= 0) return [];
  const out: FloatRange[] = [];
  for (let offset = 0; offset < total; offset += per)
    out.push({ offset, size: Math.min(per, total - offset) });
  return out;
}

/** The flat buffers (one float per parameter slot, aligned) that AdamW walks in binding-sized chunks. */
export const FLAT_BUFFERS = ['params', 'grads', 'adamM', 'adamV'];

/** The plan checked against limits: total bytes, the AdamW chunks, and a refusal when it cannot fit. */
export interface PlanCheck {
  /** Bytes of every buffer of the plan (activations sized for one slice of sliceB sequences). */
  bytes: number;
  /** Ranges of the flat buffers, one AdamW dispatch each (a single range when they fit one binding). */
  flatChunks: FloatRange[];
  /**
   * Sequences per row slice: cfg.batchSize when a whole batch's activations fit one binding each, fewer
   * when they do not (a step then runs ceil(batchSize / sliceB) slices); 0 with a refusal.
   */
  sliceB: number;
  /** Why this configuration cannot run on these limits, naming the limit and the size; null when it can. */
  refusal: string | null;
}

/** Bytes as MiB (KiB below one MiB), one decimal. */
const mib = (bytes: number): string =>
  bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 2 ** 10).toFixed(1)} KiB`;

/** The activation buffers of a plan (every buffer but the flat ones), per sequence of the batch. */
function activationsPerSequence(cfg: GPTConfig, layout: ParamLayout): BufferSpec[] {
  return bufferPlan(cfg, layout, 1).filter((b) => !FLAT_BUFFERS.includes(b.name));
}

/**
 * Check a plan against the adapter's limits before anything is allocated. The flat parameter, gradient and
 * moment buffers may pass maxStorageBufferBindingSize: each kernel binds one parameter's range of them, and
 * AdamW walks them in chunks (flatChunks); they must fit maxBufferSize. Activation buffers scale with the
 * batch: when the widest would pass the binding limit, the batch runs in row slices of sliceB sequences
 * (every activation buffer sized for one slice). Refused, with the limit and the size named, only when
 * one sequence, one parameter or the attention maps cannot be bound at once, or a flat buffer cannot exist.
 */
export function checkPlan(cfg: GPTConfig, limits: PlanLimits): PlanCheck {
  const layout = paramLayout(cfg);
  const bind = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const flatChunks = bindingChunks(layout.total, bind);
  const perSeq = activationsPerSequence(cfg, layout);
  const widestSeq = perSeq.reduce((a, b) => (b.floats > a.floats ? b : a));
  const sliceB = Math.min(cfg.batchSize, Math.floor(bind / (4 * widestSeq.floats)));
  const plan = bufferPlan(cfg, layout, Math.max(1, sliceB));
  const bytes = plan.reduce((s, b) => s + 4 * b.floats, 0);
  const fail = (refusal: string): PlanCheck => ({ bytes, flatChunks, sliceB: 0, refusal });
  const advice = 'Use a smaller block size, width or depth.';
  if (4 * layout.total > limits.maxBufferSize) {
    return fail(
      `This configuration needs a ${mib(4 * layout.total)} buffer (params, and as much for its gradients ` +
        `and each AdamW moment), more than this GPU's maxBufferSize of ${mib(limits.maxBufferSize)}. ${advice}`,
    );
  }
  const { nLayer: L, nHead: H, blockSize: T, nEmbd: C } = cfg;
  const bound: BufferSpec[] = [
    { name: `${widestSeq.name.replace(/\d+$/, '')}, for one sequence`, floats: widestSeq.floats },
    ...layout.slots.map((s) => ({ name: s.name, floats: s.size })),
    { name: 'stacked qkv weights', floats: 3 * C * C },
    { name: 'attention maps', floats: L * H * T * T },
  ];
  const widest = bound.reduce((a, b) => (b.floats > a.floats ? b : a));
  if (4 * widest.floats > bind || flatChunks.length === 0 || sliceB < 1) {
    return fail(
      `This configuration binds ${mib(4 * widest.floats)} at once (${widest.name}), more than this GPU's ` +
        `maxStorageBufferBindingSize of ${mib(bind)} (the flat parameter buffers are split into smaller ` +
        `bindings and a batch into slices of sequences, but no smaller). ${advice}`,
    );
  }
  return { bytes, flatChunks, sliceB, refusal: null };
}

/** One row slice of a batch: `n` sequences from sequence `b0`. */
export interface RowSlice {
  b0: number;
  n: number;
}

/** A batch of B sequences as consecutive slices of at most sliceB sequences each (one slice when B ≤ sliceB). */
export function rowSlices(B: number, sliceB: number): RowSlice[] {
  const per = Math.max(1, Math.min(B, sliceB));
  const out: RowSlice[] = [];
  for (let b0 = 0; b0 < B; b0 += per) out.push({ b0, n: Math.min(per, B - b0) });
  return out;
}
