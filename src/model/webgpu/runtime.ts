/**
 * The thin layer between the engine and WebGPU: pipelines cached by kernel source, explicit bind-group
 * layouts generated from each kernel's binding list, and Programs — a fixed list of dispatches with their
 * uniforms packed into one buffer and their bind groups created once — that encode into a single compute
 * pass. Nothing here allocates per step.
 */
import { FLAT_WG, kernelSource, type KernelDef } from './kernels';

/** A buffer range bound to one storage binding. */
export interface Range {
  buffer: GPUBuffer;
  /** Offset and size in floats (default: the whole buffer). */
  offset?: number;
  size?: number;
}

/** One dispatch of a program: kernel, uniform values by field name, storage ranges by binding name, grid. */
export interface Dispatch {
  kernel: KernelDef;
  uniforms: Record<string, number>;
  bind: Record<string, Range | GPUBuffer>;
  grid: [number, number];
  /** What it does in the step (forward, loss, backward, adamw): groups the GPU profile (./profile.ts). */
  role?: string;
}

/** Bytes per uniform slot: WebGPU's minUniformBufferOffsetAlignment is at most 256. */
const SLOT = 256;
/** Most workgroups along one dispatch dimension. */
const MAX_DIM = 65535;

/** A grid of `workgroups` folded into x and y (x ≤ 65535); kernels rebuild the flat index. */
export function foldGrid(workgroups: number): [number, number] {
  const w = Math.max(1, workgroups);
  return w <= MAX_DIM ? [w, 1] : [MAX_DIM, Math.ceil(w / MAX_DIM)];
}

/** The grid of a flat kernel over `count` threads. */
export function flatGrid(count: number): [number, number] {
  return foldGrid(Math.ceil(count / FLAT_WG));
}

interface Compiled {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
}

/** The device plus the pipeline cache. */
export class Runtime {
  private readonly pipelines = new Map<string, Compiled>();
  /** Every GPUBuffer created through this runtime, for dispose() and the memory report. */
  readonly buffers: GPUBuffer[] = [];
  bytes = 0;

  constructor(readonly device: GPUDevice) {}

  /** A storage buffer of `floats` float32 (or int32) values, zero-initialised. */
  storage(floats: number, label: string): GPUBuffer {
    const size = Math.max(16, Math.ceil((4 * floats) / 16) * 16);
    const buffer = this.device.createBuffer({
      label,
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    this.buffers.push(buffer);
    this.bytes += size;
    return buffer;
  }

  /** A MAP_READ staging buffer of `bytes` bytes. */
  staging(bytes: number, label: string): GPUBuffer {
    const buffer = this.device.createBuffer({
      label,
      size: Math.ceil(bytes / 16) * 16,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    this.buffers.push(buffer);
    this.bytes += buffer.size;
    return buffer;
  }

  /** The pipeline and bind-group layout of a kernel (compiled once per source). */
  compiled(k: KernelDef): Compiled {
    const hit = this.pipelines.get(k.key);
    if (hit) return hit;
    const layout = this.device.createBindGroupLayout({
      label: k.key,
      entries: [
        { binding: 0, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } },
        ...k.bindings.map((b, i): GPUBindGroupLayoutEntry => ({
          binding: i + 1,
          visibility: GPUShaderStage.COMPUTE,
          buffer: { type: b.kind === 'write' ? 'storage' : 'read-only-storage' },
        })),
      ],
    });
    const module = this.device.createShaderModule({ label: k.key, code: kernelSource(k) });
    const pipeline = this.device.createComputePipeline({
      label: k.key,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
    });
    const c = { pipeline, layout };
    this.pipelines.set(k.key, c);
    return c;
  }

  /** Build a program from its dispatches: one uniform buffer, one bind group per dispatch. */
  program(dispatches: Dispatch[], label: string): Program {
    return new Program(this, dispatches, label);
  }

  /** Free every buffer. */
  dispose(): void {
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
    this.bytes = 0;
  }
}

/** Pack uniform values in the kernel's field order (u32 or f32, 4 bytes each). */
function packUniforms(k: KernelDef, values: Record<string, number>, into: DataView, at: number): void {
  k.uniforms.forEach(([name, type], i) => {
    const v = values[name] ?? 0;
    if (type === 'f32') into.setFloat32(at + 4 * i, v, true);
    else into.setUint32(at + 4 * i, v >>> 0, true);
  });
}

/** A fixed list of dispatches, encodable into one compute pass any number of times. */
export class Program {
  private readonly uniformBuffer: GPUBuffer;
  private readonly groups: GPUBindGroup[];
  private readonly pipelines: GPUComputePipeline[];

  constructor(
    private readonly rt: Runtime,
    readonly dispatches: Dispatch[],
    label: string,
  ) {
    const device = rt.device;
    const data = new DataView(new ArrayBuffer(Math.max(SLOT, dispatches.length * SLOT)));
    dispatches.forEach((d, i) => packUniforms(d.kernel, d.uniforms, data, i * SLOT));
    this.uniformBuffer = device.createBuffer({
      label: `${label} uniforms`,
      size: data.byteLength,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    rt.buffers.push(this.uniformBuffer);
    rt.bytes += data.byteLength;
    device.queue.writeBuffer(this.uniformBuffer, 0, data.buffer);
    this.pipelines = [];
    this.groups = dispatches.map((d, i) => {
      const { pipeline, layout } = rt.compiled(d.kernel);
      this.pipelines.push(pipeline);
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: this.uniformBuffer, offset: i * SLOT, size: SLOT } },
      ];
      d.kernel.bindings.forEach((b, j) => {
        const r = d.bind[b.name];
        if (!r) throw new Error(`${label}: dispatch ${i} (${d.kernel.key}) lacks binding ${b.name}`);
        const range: Range = 'buffer' in r ? r : { buffer: r };
        const resource: GPUBufferBinding = { buffer: range.buffer };
        if (range.offset !== undefined) resource.offset = 4 * range.offset;
        if (range.size !== undefined) resource.size = 4 * range.size;
        entries.push({ binding: j + 1, resource });
      });
      return device.createBindGroup({ label: `${label} ${i} ${d.kernel.key}`, layout, entries });
    });
  }

  /** Rewrite the uniforms of dispatch i (queue-ordered: takes effect for the next submit). */
  setUniforms(i: number, values: Record<string, number>): void {
    const d = this.dispatches[i];
    Object.assign(d.uniforms, values);
    const data = new DataView(new ArrayBuffer(4 * Math.max(1, d.kernel.uniforms.length)));
    packUniforms(d.kernel, d.uniforms, data, 0);
    this.rt.device.queue.writeBuffer(this.uniformBuffer, i * SLOT, data.buffer);
  }

  /** Record every dispatch into a compute pass. */
  encode(pass: GPUComputePassEncoder): void {
    for (let i = 0; i < this.dispatches.length; i++) this.encodeOne(pass, i);
  }

  /** Record dispatch i into a compute pass (the profiler gives each dispatch its own timed pass). */
  encodeOne(pass: GPUComputePassEncoder, i: number): void {
    const d = this.dispatches[i];
    pass.setPipeline(this.pipelines[i]);
    pass.setBindGroup(0, this.groups[i]);
    pass.dispatchWorkgroups(d.grid[0], d.grid[1]);
  }
}
