/**
 * The matmul microbenchmark alone (a bench request with 0 steps): at a preset's own shapes (the forward,
 * input-gradient and weight-gradient matmuls of a step), our WGSL kernel or TensorFlow.js's tf.matMul,
 * without training steps, so the `notes` shapes can be measured where a `notes` step takes hours (a
 * software GPU). `reps` matmuls per timing; one warm-up timing first.
 */
import { makeConfig, type PresetName } from '../../model/config';
import type { FromWorker } from '../protocol';

/** GFLOP/s per shape of one engine's matmul, as a bench reply (no step figures: they are NaN). */
export async function matmulOnlyBench(
  preset: PresetName,
  engine: 'tfjs' | 'webgpu',
  adapter: string,
  reps = 1,
): Promise<Extract<FromWorker, { type: 'bench' }>> {
  const cfg = makeConfig(preset);
  const { matmulShapes, matmulBench, requestEngineDevice } = await import('../../model/webgpu');
  let matmul;
  if (engine === 'webgpu') {
    const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
    if (!gpu) throw new Error('WebGPU is not available here.');
    const got = await requestEngineDevice(gpu, cfg);
    try {
      matmul = await matmulBench(got.device, cfg, !/swiftshader/i.test(got.adapter), reps);
    } finally {
      got.device.destroy();
    }
  } else {
    const { tfjsMatmulShapes } = await import('../../model/tfjs/bench');
    matmul = await tfjsMatmulShapes(matmulShapes(cfg), reps);
  }
  const none = {
    msPerStep: NaN,
    tokensPerSec: NaN,
    gflops: NaN,
    dispatchesPerStep: NaN,
    submitsPerStep: NaN,
  };
  return {
    type: 'bench',
    result: {
      backend: engine,
      config: cfg,
      params: NaN,
      steps: 0,
      ...none,
      peakBytes: NaN,
      sliceB: cfg.batchSize,
      finalLoss: NaN,
      matmul,
    },
    adapter,
  };
}
