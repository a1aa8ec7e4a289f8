import { describe, expect, test } from 'vitest';
import {
  engineBackend,
  engineNotes,
  ownWasmBackend,
  resolveEngine,
  WASM_ENGINE_ADAPTER,
} from '../../../src/workers/training/engines';
import type { BackendReport, EngineChoice } from '../../../src/workers/protocol';

const on = (name: BackendReport['name']): BackendReport => ({
  type: 'backend',
  name,
  adapter: 'x',
  skipped: [],
});

describe('the engine a choice resolves to, and what the log says about its features', () => {
  test.each([
    ['webgpu', 'auto', 'webgpu'],
    ['webgpu', 'webgpu', 'webgpu'],
    ['webgpu', 'webgpu-f16', 'webgpu-f16'],
    ['webgpu', 'tfjs', 'tfjs'],
    ['wasm', 'auto', 'wasm'],
    ['wasm', 'wasm', 'wasm'],
    ['wasm', 'webgpu-f16', 'wasm'],
    ['wasm', 'tfjs', 'tfjs'],
    ['webgl', 'wasm', 'tfjs'],
    ['cpu', 'auto', 'tfjs'],
  ] as const)('%s + %s → %s', (backend, choice, want) => {
    expect(resolveEngine(on(backend), choice as EngineChoice)).toBe(want);
  });

  test('the WebGPU engine’s features are named; f16 asked for without shader-f16 warns that it trains in f32', () => {
    const plain = engineNotes(on('webgpu'), { features: { subgroups: true, f16: false } }, 'webgpu-f16');
    expect(plain[0][0]).toMatch(/^Engine: WebGPU kernels with f16 matmul inputs/);
    expect(plain[1]).toEqual(['WebGPU features: subgroup reductions; f32 matmuls.', 'info']);
    expect(plain[2]).toEqual(['This GPU has no shader-f16: training in f32.', 'warn']);
    const f16 = engineNotes(on('webgpu'), { features: { subgroups: false, f16: true } }, 'webgpu-f16');
    expect(f16.map((n) => n[0])).toEqual([
      expect.stringMatching(/^Engine: /),
      'WebGPU features: no subgroups (plain loops); f16 matmul inputs, f32 accumulation.',
    ]);
    expect(engineNotes(on('wasm'), {}, 'tfjs')).toEqual([['Engine: TensorFlow.js on wasm.', 'info']]);
    expect(engineNotes(on('wasm'), {}, 'auto')[0][0]).toMatch(
      /^Engine: WebAssembly SIMD kernels written for this model/,
    );
  });

  test('a batch in row slices is explained; a whole batch says nothing of slices', () => {
    const features = { subgroups: false, f16: false };
    const sliced = engineNotes(on('webgpu'), { features, sliceB: 24, config: { batchSize: 64 } });
    expect(sliced.at(-1)).toEqual([
      "A batch of 64 sequences runs as 3 slices of at most 24: its activations would pass this GPU's " +
        "maxStorageBufferBindingSize. Each step sums the slices' gradients before AdamW, so it trains as " +
        'the whole batch would.',
      'info',
    ]);
    const whole = engineNotes(on('webgpu'), { features, sliceB: 64, config: { batchSize: 64 } });
    expect(whole.some(([t]) => t.includes('slices'))).toBe(false);
  });

  test('the WebAssembly engine names its own device (one thread), not the TensorFlow.js wasm build’s threads', () => {
    const tfjsWasm = { ...on('wasm'), adapter: 'WebAssembly (SIMD, 2 threads)' };
    expect(engineBackend(tfjsWasm, 'auto').adapter).toBe(WASM_ENGINE_ADAPTER);
    expect(engineBackend(tfjsWasm, 'tfjs').adapter).toBe('WebAssembly (SIMD, 2 threads)');
    expect(engineBackend(on('webgpu'), 'auto').adapter).toBe('x');
  });

  test('the WebAssembly engine starts without TensorFlow.js, unless TensorFlow.js is asked for', () => {
    expect(ownWasmBackend('auto')).toEqual({
      type: 'backend',
      name: 'wasm',
      adapter: WASM_ENGINE_ADAPTER,
      skipped: [],
    });
    expect(ownWasmBackend('wasm')?.name).toBe('wasm');
    expect(ownWasmBackend('tfjs')).toBeNull();
  });
});
