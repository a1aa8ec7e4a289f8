import { test, expect } from './fixtures';

test('navigator.gpu gives an adapter and a compute pass returns correct numbers', async ({ page }) => {
  await page.goto('./');
  const result = await page.evaluate(async () => {
    if (!('gpu' in navigator)) return { error: 'navigator.gpu is missing' };
    const gpu = (navigator as Navigator & { gpu: GPU }).gpu;
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { error: 'requestAdapter() returned null' };
    const device = await adapter.requestDevice();
    const input = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const module = device.createShaderModule({
      code: `
        @group(0) @binding(0) var<storage, read_write> data: array<f32>;
        @compute @workgroup_size(8)
        fn main(@builtin(global_invocation_id) id: vec3<u32>) {
          data[id.x] = data[id.x] * data[id.x] + 0.5;
        }`,
    });
    const buffer = device.createBuffer({
      size: input.byteLength,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buffer, 0, input);
    const readback = device.createBuffer({
      size: input.byteLength,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer } }],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(1);
    pass.end();
    encoder.copyBufferToBuffer(buffer, 0, readback, 0, input.byteLength);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const out = Array.from(new Float32Array(readback.getMappedRange().slice(0)));
    readback.unmap();
    const info = (adapter as GPUAdapter & { info?: { vendor?: string; architecture?: string } }).info;
    device.destroy();
    return { out, vendor: info?.vendor ?? '', architecture: info?.architecture ?? '' };
  });
  expect(result.error).toBeUndefined();
  expect(result.out).toEqual([1.5, 4.5, 9.5, 16.5, 25.5, 36.5, 49.5, 64.5]);
});
