import { describe, expect, test } from 'vitest';
import {
  chooseFastest,
  isSoftwareAdapter,
  measureBackends,
  type BackendTiming,
} from '../../../src/workers/training/backend-choice';

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

describe('measureBackends(names, deps)', () => {
  /** Fake backends: each step of `name` takes the given ms; 'webgl' fails to start. */
  function deps(msPer: Record<string, number>) {
    let running: string = '';
    const disposed: string[] = [];
    return {
      disposed,
      start: async (name: 'webgpu' | 'webgl' | 'wasm' | 'cpu') => {
        if (name === 'webgl') throw new Error('WebGL 2 is not available.');
        running = name;
        return { name, adapter: name === 'webgpu' ? 'google swiftshader' : `${name} adapter` };
      },
      engine: () => {
        const on = running;
        let calls = 0;
        return {
          step: async () => ({ ms: (calls++ === 0 ? 10 : 1) * msPer[on] }), // the first step compiles
          dispose: () => disposed.push(on),
        };
      },
      batch: () => ({ x: new Int32Array(4), y: new Int32Array(4), batchSize: 1, blockSize: 4 }),
    };
  }

  test('times every backend after an untimed step, names software adapters, frees each engine', async () => {
    const d = deps({ webgpu: 1100, wasm: 50, cpu: 200 });
    let clock = 0;
    const timings = await measureBackends(['webgpu', 'webgl', 'wasm', 'cpu'], d, { now: () => clock });
    expect(timings.map((t) => [t.name, t.msPerStep, t.software])).toEqual([
      ['webgpu', 1100, true],
      ['webgl', null, false],
      ['wasm', 50, false],
      ['cpu', 200, false],
    ]);
    expect(timings[1].error).toBe('WebGL 2 is not available.');
    expect(d.disposed).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(chooseFastest(timings)?.choice).toBe('wasm');
    clock = 0;
  });

  test('a backend past its budget is judged by its untimed step', async () => {
    const d = deps({ webgpu: 1100, wasm: 50, cpu: 200 });
    let clock = 0;
    const timings = await measureBackends(['webgpu'], d, { now: () => (clock += 5000), budgetMs: 1500 });
    expect(timings[0].msPerStep).toBe(11_000);
  });
});
