import { describe, expect, it } from 'vitest';
import { CORE_FEATURE, installAdapterFallback, withCoreFeature } from '../../../src/model/webgpu/adapter';

/** A fake GPU whose default request finds nothing and whose compatibility request finds `features`. */
function fakeGpu(features: string[], defaultAdapter = false) {
  const asked: unknown[] = [];
  const devices: GPUDeviceDescriptor[] = [];
  const adapter = {
    features: new Set(features),
    requestDevice: async (d?: GPUDeviceDescriptor) => {
      devices.push(d ?? {});
      return {} as GPUDevice;
    },
  } as unknown as GPUAdapter;
  const gpu = {
    requestAdapter: async (o?: { featureLevel?: string }) => {
      asked.push(o);
      return defaultAdapter || o?.featureLevel === 'compatibility' ? adapter : null;
    },
  } as unknown as GPU;
  return { gpu, asked, devices };
}

describe('installAdapterFallback', () => {
  it('returns a compatibility adapter when the default request finds none, without the power preference', async () => {
    const { gpu, asked } = fakeGpu([CORE_FEATURE]);
    installAdapterFallback(gpu);
    expect(await gpu.requestAdapter({ powerPreference: 'high-performance' })).not.toBeNull();
    expect(asked).toEqual([{ powerPreference: 'high-performance' }, { featureLevel: 'compatibility' }]);
  });

  it('asks its devices for core features and keeps the caller’s own', async () => {
    const { gpu, devices } = fakeGpu([CORE_FEATURE, 'timestamp-query']);
    installAdapterFallback(gpu);
    const adapter = await gpu.requestAdapter();
    await adapter!.requestDevice({ requiredFeatures: ['timestamp-query'] });
    expect(devices[0].requiredFeatures).toEqual(['timestamp-query', CORE_FEATURE]);
  });

  it('leaves a default adapter alone, installs once, and still answers null when there is no GPU', async () => {
    const found = fakeGpu([CORE_FEATURE], true);
    installAdapterFallback(found.gpu);
    installAdapterFallback(found.gpu);
    await found.gpu.requestAdapter();
    expect(found.asked).toEqual([undefined]);
    const none = { requestAdapter: async () => null } as unknown as GPU;
    installAdapterFallback(none);
    expect(await none.requestAdapter()).toBeNull();
  });
});

describe('withCoreFeature', () => {
  it.each([
    { features: [CORE_FEATURE], desc: {}, want: [CORE_FEATURE] },
    { features: [], desc: { requiredFeatures: ['subgroups'] }, want: ['subgroups'] },
    { features: [CORE_FEATURE], desc: { requiredFeatures: [CORE_FEATURE] }, want: [CORE_FEATURE] },
  ])('features $features, asked $desc → $want', ({ features, desc, want }) => {
    const out = withCoreFeature(new Set(features), desc as GPUDeviceDescriptor);
    expect(out.requiredFeatures ?? []).toEqual(want);
  });
});
