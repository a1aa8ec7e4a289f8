/**
 * AdamW by hand over tf.variables, with torch.optim.AdamW's semantics and defaults (tfjs ships Adam but no
 * decoupled weight decay). For each parameter p with gradient g, at step t (starting at 1):
 *
 *   p ← p · (1 − lr·wd)                         decoupled weight decay, applied to every parameter
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * The state (m, v, t) exports to Float32Arrays for checkpoints and imports back.
 */
import * as tf from './tf';
import { ADAMW_DEFAULTS, type AdamWOptions, type AdamWState, type NamedArray } from '../engine';
import { adamwScalars, type AdamWScalars } from '../adamw-scalars';
import { getKernels } from './kernels';

/**
 * Most values one packed state holds: 3 × 8 Mi float32 = 96 MiB, under the 128 MiB storage-buffer binding
 * size every WebGPU device must support (the notes preset, 25 M parameters, takes four groups).
 */
export const MAX_GROUP_VALUES = 8 * 1024 * 1024;

/**
 * Group size on tfjs-backend-wasm: its Slice (and SplitV) first copies the whole input out of the wasm heap
 * (readSync), so slicing each of small's 94 parameters out of one packed state copied 94 × 3n values per step
 * (a third of the step). Groups of at most 64 Ki values copy about ten times less and keep tiny in one group.
 */
export const WASM_GROUP_VALUES = 64 * 1024;

/** The group size for a backend: WASM_GROUP_VALUES on wasm, MAX_GROUP_VALUES elsewhere. */
export function defaultGroupValues(backend: string = tf.getBackend()): number {
  return backend === 'wasm' ? WASM_GROUP_VALUES : MAX_GROUP_VALUES;
}

/** Split sizes, in order, into consecutive runs of at most maxValues (a larger single size runs alone). */
export function groupBySize(sizes: number[], maxValues = MAX_GROUP_VALUES): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  let total = 0;
  sizes.forEach((size, i) => {
    if (current.length && total + size > maxValues) {
      groups.push(current);
      [current, total] = [[], 0];
    }
    current.push(i);
    total += size;
  });
  if (current.length) groups.push(current);
  return groups;
}

/**
 * One run of parameters and its packed state (3·total) = [p; m; v], every parameter laid end to end in each
 * third. The p third is a master copy of the parameters: exactly the values last assigned to them. A
 * parameter variable assigned from outside (setWeights, a checkpoint) gets a new dataId, and the next step
 * first copies the parameters back into the state, so the master copy can never be stale.
 */
class PackedGroup {
  readonly sizes: number[];
  readonly offsets: number[];
  readonly total: number;
  private readonly state: tf.Variable;
  /** The parameters' dataIds when the state's p third was last equal to them. */
  private synced: object[] = [];

  constructor(
    readonly names: string[],
    private readonly params: tf.Variable[],
  ) {
    this.sizes = params.map((p) => p.size);
    this.offsets = this.sizes.map((_, i) => this.sizes.slice(0, i).reduce((a, b) => a + b, 0));
    this.total = this.sizes.reduce((a, b) => a + b, 0);
    this.state = tf.tidy(() => tf.variable(this.pack(new Float32Array(2 * this.total)), false)); // (3·total)
  }

  /** [p; m; v] (3·total) from the current parameters and the moments mv (2·total); marks the state synced. */
  private pack(mv: Float32Array | tf.Tensor1D): tf.Tensor1D {
    this.synced = this.params.map((p) => p.dataId);
    const flatP = tf.concat(this.params.map((p) => tf.reshape(p, [-1]))); // (total)
    return tf.concat([flatP, mv instanceof Float32Array ? tf.tensor1d(mv) : mv]) as tf.Tensor1D; // (3·total)
  }

  /** One update (call inside tf.tidy); a parameter whose gradient is missing keeps its value and moments. */
  apply(gradMap: Map<string, tf.Tensor>, scalars: AdamWScalars): void {
    const present = this.names.map((n) => gradMap.has(n));
    if (!present.some(Boolean)) return;
    if (this.params.some((p, i) => p.dataId !== this.synced[i])) {
      // Assigned from outside since the last step: take the parameters' values, keep the moments.
      this.state.assign(this.pack(tf.slice(this.state, [this.total], [2 * this.total]) as tf.Tensor1D));
    }
    const flat = (ts: tf.Tensor[]): tf.Tensor1D => tf.concat(ts.map((x) => tf.reshape(x, [-1]))); // (total)
    const g = flat(this.names.map((n, i) => gradMap.get(n) ?? tf.zeros([this.sizes[i]]))); // (total)
    const keep = present.every(Boolean)
      ? undefined
      : flat(this.names.map((_, i) => tf.fill([this.sizes[i]], present[i] ? 1 : 0))); // (total)
    const next = getKernels().adamwUpdate(this.state as tf.Tensor1D, g, scalars, keep); // (3·total)
    this.state.assign(next);
    this.params.forEach((p, i) => {
      if (!present[i]) return;
      const part = tf.slice(next, [this.offsets[i]], [this.sizes[i]]); // (size_i)
      p.assign(tf.reshape(part, p.shape));
    });
    this.synced = this.params.map((p) => p.dataId);
  }

  /** The moments of every parameter, read back from the device. */
  async moments(): Promise<{ m: Float32Array[]; v: Float32Array[] }> {
    const all = (await this.state.data()) as Float32Array;
    const at = (third: number, i: number): Float32Array =>
      all.slice(third * this.total + this.offsets[i], third * this.total + this.offsets[i] + this.sizes[i]);
    return { m: this.names.map((_, i) => at(1, i)), v: this.names.map((_, i) => at(2, i)) };
  }

  /** Replace the moments (one Float32Array per parameter, sizes already checked). */
  setMoments(m: Float32Array[], v: Float32Array[]): void {
    const mv = new Float32Array(2 * this.total);
    this.names.forEach((_, i) => {
      mv.set(m[i], this.offsets[i]);
      mv.set(v[i], this.total + this.offsets[i]);
    });
    tf.tidy(() => this.state.assign(this.pack(mv)));
  }

  dispose(): void {
    this.state.dispose();
  }
}

/**
 * AdamW over a fixed set of named variables. The parameters are packed, in order, into groups of at most
 * defaultGroupValues() values (one group for every preset but notes; smaller groups on wasm), and each step runs one call of the kernel
 * registry's adamwUpdate per group (one WGSL dispatch on WebGPU, 16 tensor ops elsewhere) instead of 14
 * ops per parameter; only the gradients are concatenated and each new parameter sliced back out.
 */
export class AdamW {
  readonly options: AdamWOptions;
  /** Steps taken so far. */
  step = 0;
  private readonly params: Map<string, tf.Variable>;
  private readonly groups: PackedGroup[];

  /** Track the given variables (keyed by name) with zero moments. */
  constructor(
    params: Map<string, tf.Variable>,
    options: Partial<AdamWOptions> = {},
    maxGroupValues = defaultGroupValues(),
  ) {
    if (params.size === 0) throw new RangeError('AdamW: no parameters to optimise');
    this.options = { ...ADAMW_DEFAULTS, ...options };
    this.params = params;
    const names = [...params.keys()];
    const vars = names.map((n) => params.get(n)!);
    this.groups = groupBySize(
      vars.map((p) => p.size),
      maxGroupValues,
    ).map(
      (idx) =>
        new PackedGroup(
          idx.map((i) => names[i]),
          idx.map((i) => vars[i]),
        ),
    );
  }

  /** How many packed states the parameters are split into. */
  get groupCount(): number {
    return this.groups.length;
  }

  /** Apply one update from gradients keyed by parameter name (a missing gradient leaves that parameter alone). */
  apply(grads: Map<string, tf.Tensor> | Record<string, tf.Tensor>, lr: number = this.options.lr): void {
    const t = this.step + 1;
    const gradMap = grads instanceof Map ? grads : new Map(Object.entries(grads));
    if (![...this.params.keys()].some((n) => gradMap.has(n))) return;
    const scalars = adamwScalars(this.options, lr, t); // double precision, as PyTorch's Python floats
    tf.tidy(() => {
      for (const group of this.groups) group.apply(gradMap, scalars);
    });
    this.step = t;
  }

  /** Copy the state to the CPU (awaits the device), split back into one entry per parameter. */
  async getState(): Promise<AdamWState> {
    const m: Record<string, NamedArray> = {};
    const v: Record<string, NamedArray> = {};
    for (const group of this.groups) {
      const moments = await group.moments();
      group.names.forEach((name, i) => {
        const shape = [...this.params.get(name)!.shape];
        m[name] = { shape, data: moments.m[i] };
        v[name] = { shape, data: moments.v[i] };
      });
    }
    return { step: this.step, m, v, options: { ...this.options } };
  }

  /** Restore a state from getState (names and sizes must match; hyperparameters are taken from the state). */
  setState(state: AdamWState): void {
    if (!Number.isInteger(state.step) || state.step < 0) {
      throw new RangeError(`AdamW.setState: step must be a non-negative integer, got ${state.step}`);
    }
    const moments = this.groups.map((group) => {
      const pick = (label: 'm' | 'v'): Float32Array[] =>
        group.names.map((name, i) => {
          const entry = state[label][name];
          if (!entry) throw new Error(`AdamW.setState: missing ${label} for ${name}`);
          if (entry.data.length !== group.sizes[i]) {
            throw new RangeError(
              `AdamW.setState: ${label} for ${name} has ${entry.data.length} values, expected ${group.sizes[i]}`,
            );
          }
          return entry.data;
        });
      return { m: pick('m'), v: pick('v') };
    });
    this.groups.forEach((group, i) => group.setMoments(moments[i].m, moments[i].v));
    Object.assign(this.options, state.options);
    this.step = state.step;
  }

  /** Free the optimiser's packed states. */
  dispose(): void {
    for (const group of this.groups) group.dispose();
  }
}
