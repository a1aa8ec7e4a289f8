import { describe, expect, test } from 'vitest';
import { chooseFastest, isSoftwareAdapter, type BackendTiming } from '../../../src/workers/training/backend-choice';

describe('isSoftwareAdapter(facts)', () => {
  test.each([
    [{ isFallbackAdapter: true, vendor: 'google' }, true],
    [{ vendor: 'google', architecture: 'swiftshader', description: '' }, true],
    [{ renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' }, true],
    [{ renderer: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, true],
    [{ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' }, false],
    [{ renderer: 'ANGLE (Apple, Apple M2, OpenGL 4.1)' }, false],
    [{}, false],
  ])('%j → %s', (facts, software) => {
    expect(isSoftwareAdapter(facts)).toBe(software);
  });
});

describe('chooseFastest(timings)', () => {
  const swiftshaderGpu: BackendTiming = {
    name: 'webgpu',
    adapter: 'SwiftShader',
    software: true,
    msPerStep: 1100,
  };
  const wasm: BackendTiming = {
    name: 'wasm',
    adapter: 'WebAssembly (SIMD, 2 threads)',
    software: false,
    msPerStep: 50,
  };

  test('picks the fastest and names the software adapter as such', () => {
    expect(chooseFastest([swiftshaderGpu, wasm])).toEqual({
      choice: 'wasm',
      reason:
        'Using WebAssembly, the fastest here. WebGPU is a software adapter here (SwiftShader): 1.1 s/step; ' +
        'WebAssembly (SIMD, 2 threads): 0.050 s/step.',
    });
  });

  test('a real GPU that is faster wins', () => {
    const gpu = { ...swiftshaderGpu, adapter: 'nvidia ampere', software: false, msPerStep: 4 };
    expect(chooseFastest([gpu, wasm])?.choice).toBe('webgpu');
  });

  test('a backend that failed is listed with its reason, never chosen', () => {
    const broken: BackendTiming = {
      name: 'webgl',
      adapter: 'WebGL 2',
      software: false,
      msPerStep: null,
      error: 'context lost',
    };
    const r = chooseFastest([broken, wasm]);
    expect(r?.choice).toBe('wasm');
    expect(r?.reason).toContain('WebGL 2: did not run (context lost)');
  });

  test('nothing ran: null', () => {
    expect(chooseFastest([{ ...wasm, msPerStep: null }])).toBeNull();
    expect(chooseFastest([])).toBeNull();
  });
});
