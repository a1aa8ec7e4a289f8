/**
 * An adapter where the browser offers one only at the compatibility feature level. Chrome under ANGLE on
 * Vulkan (a headless Linux machine with an NVIDIA GPU and no display, measured on an H200) answers
 * `requestAdapter()` with null yet gives a core-capable adapter when asked for `featureLevel:
 * 'compatibility'`; a device requested with the `core-features-and-limits` feature is then a core device.
 * Wrapping `GPU.requestAdapter` once lets every caller (the WebGPU engine, TensorFlow.js's backend, the
 * kernel check) use that GPU without each knowing the trick.
 */

/** The feature that lifts a compatibility-level adapter's device to core WebGPU. */
export const CORE_FEATURE = 'core-features-and-limits' as GPUFeatureName;

/** Adapter options plus the feature level (newer than some type packages). */
type AdapterOptions = GPURequestAdapterOptions & { featureLevel?: 'core' | 'compatibility' };

/** Device descriptor with `CORE_FEATURE` added when the adapter has it and the caller did not ask. */
export function withCoreFeature(
  features: ReadonlySet<string>,
  desc: GPUDeviceDescriptor = {},
): GPUDeviceDescriptor {
  const asked = [...(desc.requiredFeatures ?? [])];
  if (!features.has(CORE_FEATURE) || asked.includes(CORE_FEATURE)) return desc;
  return { ...desc, requiredFeatures: [...asked, CORE_FEATURE] };
}

/**
 * Make `gpu.requestAdapter` fall back to a compatibility-level adapter (asked with the same options minus
 * the power preference, which such a GPU cannot match) whose devices are core where it can. Idempotent.
 */
export function installAdapterFallback(gpu: GPU | undefined): void {
  if (!gpu) return;
  const marked = gpu as GPU & { __adapterFallback?: true };
  if (marked.__adapterFallback) return;
  marked.__adapterFallback = true;
  const request = gpu.requestAdapter.bind(gpu);
  gpu.requestAdapter = async (options?: AdapterOptions) => {
    const adapter = await request(options);
    if (adapter || options?.featureLevel === 'compatibility') return adapter;
    const { powerPreference: _unmatched, ...rest } = options ?? {};
    const compat = await request({ ...rest, featureLevel: 'compatibility' } as AdapterOptions);
    if (!compat) return null;
    const requestDevice = compat.requestDevice.bind(compat);
    compat.requestDevice = (desc?: GPUDeviceDescriptor) =>
      requestDevice(withCoreFeature(compat.features as ReadonlySet<string>, desc));
    return compat;
  };
}
