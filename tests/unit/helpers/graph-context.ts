/** A WebGPU graph context over stand-in buffers for unit tests: the graphs only name buffers, so no GPU. */
import { makeConfig, type GPTConfig } from '../../../src/model/config';
import type { GraphContext } from '../../../src/model/webgpu/graph';
import { paramLayout } from '../../../src/model/webgpu/plan';

/** A graph context of a preset (with overrides) over stand-in buffers named on first use. */
export function graphContext(
  preset: 'tiny' | 'small' | 'notes',
  tiled: boolean,
  features: GraphContext['features'] = {},
  over: Partial<GPTConfig> = {},
): GraphContext {
  const cfg = makeConfig(preset, over);
  const fake = new Map<string, GPUBuffer>();
  return {
    cfg,
    layout: paramLayout(cfg),
    buf: {
      get: (n) => {
        if (!fake.has(n)) fake.set(n, { label: n } as unknown as GPUBuffer);
        return fake.get(n)!;
      },
    },
    B: cfg.batchSize,
    T: cfg.blockSize,
    training: true,
    tiled,
    features,
  };
}
