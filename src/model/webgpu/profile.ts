/**
 * GPU time per kernel of one training step, by timestamp queries: with the `timestamp-query` feature, each
 * dispatch of a program runs in its own compute pass whose `timestampWrites` record when it began and ended
 * (2 queries per dispatch), resolved into a buffer and read back once. `aggregateTimestamps` (pure) turns
 * those nanoseconds into ms per kernel key and per role (forward, loss, backward, adamw).
 */
import type { Program } from './runtime';

/** GPU time of one kernel key (or one role) over a profiled step. */
export interface GpuTimeEntry {
  /** KernelDef.key (e.g. `matmul_…`, `attnBwd_64`) or a role (forward, loss, backward, adamw). */
  name: string;
  /** Summed GPU ms of its dispatches. */
  ms: number;
  /** Dispatches of it in the step. */
  count: number;
  /** ms as a fraction of the step's summed kernel time (the shares add up to 1). */
  share: number;
}

/** The breakdown of one profiled step. */
export interface GpuProfile {
  /** Per kernel key, most time first. */
  kernels: GpuTimeEntry[];
  /** Per role of the graph, most time first (dispatches without a role count as 'other'). */
  roles: GpuTimeEntry[];
  /** Summed GPU ms of every dispatch (the kernels' time, without the gaps between passes). */
  totalMs: number;
  /** From the first dispatch's beginning to the last one's end (kernels plus the gaps between passes). */
  spanMs: number;
  dispatches: number;
  /** Dispatches whose end was before their beginning (a timer wrap or reset): counted as 0 ms. */
  invalid: number;
}

/** A timestamp as a number of ns (bigint from a BigUint64Array, or a plain number). */
type Stamp = bigint | number;

/** Nanoseconds from `a` to `b`, or null when b < a (wrapped or reset counter). */
function elapsedNs(a: Stamp, b: Stamp): number | null {
  const d = BigInt(b) - BigInt(a);
  return d < 0n ? null : Number(d);
}

function entries(m: Map<string, { ns: number; count: number }>, totalNs: number): GpuTimeEntry[] {
  return [...m]
    .map(([name, v]) => ({ name, ms: v.ns / 1e6, count: v.count, share: totalNs > 0 ? v.ns / totalNs : 0 }))
    .sort((x, y) => y.ms - x.ms || x.name.localeCompare(y.name));
}

/**
 * Aggregate (begin, end) timestamp pairs — `stamps[2i]`, `stamps[2i + 1]` for dispatch i — into GPU ms per
 * kernel key and per role. A pair whose end precedes its beginning counts 0 ms (and `invalid`); equal
 * stamps (a kernel shorter than the timer's resolution) count 0 ms; all-zero stamps give zero shares.
 */
export function aggregateTimestamps(
  stamps: ArrayLike<Stamp>,
  keys: readonly string[],
  roles: readonly (string | undefined)[] = [],
): GpuProfile {
  if (stamps.length < 2 * keys.length) {
    throw new RangeError(`aggregateTimestamps: ${stamps.length} stamps for ${keys.length} dispatches`);
  }
  const byKey = new Map<string, { ns: number; count: number }>();
  const byRole = new Map<string, { ns: number; count: number }>();
  const add = (m: typeof byKey, name: string, ns: number) => {
    const e = m.get(name) ?? { ns: 0, count: 0 };
    e.ns += ns;
    e.count++;
    m.set(name, e);
  };
  let totalNs = 0;
  let invalid = 0;
  let first: Stamp | null = null;
  let last: Stamp | null = null;
  keys.forEach((key, i) => {
    const [a, b] = [stamps[2 * i], stamps[2 * i + 1]];
    const d = elapsedNs(a, b);
    if (d === null) invalid++;
    const ns = d ?? 0;
    totalNs += ns;
    add(byKey, key, ns);
    add(byRole, roles[i] ?? 'other', ns);
    if (d !== null) {
      if (first === null || BigInt(a) < BigInt(first)) first = a;
      if (last === null || BigInt(b) > BigInt(last)) last = b;
    }
  });
  const spanNs = first === null || last === null ? 0 : (elapsedNs(first, last) ?? 0);
  return {
    kernels: entries(byKey, totalNs),
    roles: entries(byRole, totalNs),
    totalMs: totalNs / 1e6,
    spanMs: spanNs / 1e6,
    dispatches: keys.length,
    invalid,
  };
}

/** Most queries in one GPUQuerySet (WebGPU's limit). */
const MAX_QUERIES = 4096;

/**
 * Encodes a program with one timed compute pass per dispatch and reads the timestamps back. Needs a device
 * created with the `timestamp-query` feature. Costs nothing unless used (the engine's normal path keeps
 * one pass per step).
 */
export class TimestampProfiler {
  private readonly querySet: GPUQuerySet;
  private readonly resolveBuf: GPUBuffer;
  private readonly readBuf: GPUBuffer;
  private readonly count: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly program: Program,
  ) {
    if (!device.features.has('timestamp-query')) {
      throw new Error('GPU profiling needs the timestamp-query feature, which this device lacks.');
    }
    this.count = 2 * program.dispatches.length;
    if (this.count > MAX_QUERIES)
      throw new RangeError(`GPU profiling: ${this.count} queries > ${MAX_QUERIES}`);
    this.querySet = device.createQuerySet({ type: 'timestamp', count: this.count });
    const bytes = 8 * this.count;
    this.resolveBuf = device.createBuffer({
      label: 'profile resolve',
      size: bytes,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    this.readBuf = device.createBuffer({
      label: 'profile read',
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
  }

  /** Record every dispatch in its own pass with begin/end timestamps, then resolve and copy them. */
  encode(enc: GPUCommandEncoder): void {
    this.program.dispatches.forEach((_, i) => {
      const pass = enc.beginComputePass({
        timestampWrites: {
          querySet: this.querySet,
          beginningOfPassWriteIndex: 2 * i,
          endOfPassWriteIndex: 2 * i + 1,
        },
      });
      this.program.encodeOne(pass, i);
      pass.end();
    });
    enc.resolveQuerySet(this.querySet, 0, this.count, this.resolveBuf, 0);
    enc.copyBufferToBuffer(this.resolveBuf, 0, this.readBuf, 0, 8 * this.count);
  }

  /** After the submit: map the timestamps and aggregate them per kernel key and role; frees the buffers. */
  async read(): Promise<GpuProfile> {
    try {
      await this.readBuf.mapAsync(GPUMapMode.READ);
      const stamps = new BigUint64Array(this.readBuf.getMappedRange().slice(0));
      this.readBuf.unmap();
      const ds = this.program.dispatches;
      return aggregateTimestamps(
        stamps,
        ds.map((d) => d.kernel.key),
        ds.map((d) => d.role),
      );
    } finally {
      this.dispose();
    }
  }

  /** Free the query set and buffers. */
  dispose(): void {
    this.querySet.destroy();
    this.resolveBuf.destroy();
    this.readBuf.destroy();
  }
}
