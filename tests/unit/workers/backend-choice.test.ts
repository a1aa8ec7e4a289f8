import { describe, expect, test } from 'vitest';
import {
  chooseFastest,
  isSoftwareAdapter,
  measureBackends,
  WEBGL_NOT_TIMED,
  type BackendTiming,
} from '../../../src/workers/training/backend-choice';
import type { BackendName } from '../../../src/workers/protocol';

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
        'WebGPU is a software adapter here (SwiftShader): 1.1 s/step; ' +
        'WebAssembly (SIMD, 2 threads): 0.05 s/step — using WebAssembly.',
    });
  });

  test.each([
    ['google swiftshader SwiftShader Device (Subzero) (fallback adapter)', 'SwiftShader'],
    ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', 'SwiftShader'],
    ['Mesa llvmpipe (LLVM 15.0.6, 256 bits)', 'llvmpipe'],
    ['acme gpu9 (fallback adapter)', 'acme gpu9'],
    ['', 'fallback adapter'],
  ])('a software adapter %j is named %j', (adapter, named) => {
    const t: BackendTiming = { ...swiftshaderGpu, adapter };
    expect(chooseFastest([t, wasm])?.reason).toContain(
      `WebGPU is a software adapter here (${named}): 1.1 s/step`,
    );
  });

  test.each([
    [
      { msPerStep: 1234, firstOnly: true },
      'WebGPU (nvidia): 1.2 s for its first step (compilation included)',
    ],
    [{ msPerStep: 1000, overBudget: true }, 'WebGPU (nvidia): no step finished within 1.0 s'],
    [{ msPerStep: 3.456 }, 'WebGPU (nvidia): 0.0035 s/step'],
    [{ msPerStep: null, error: 'no adapter' }, 'WebGPU (nvidia): not timed (no adapter)'],
    [
      { msPerStep: null, error: 'WebGPU is not available in this browser (no navigator.gpu).' },
      'WebGPU (nvidia): not timed (WebGPU is not available in this browser (no navigator.gpu))',
    ],
  ])('the figure %j reads %j', (fig, text) => {
    const t = { ...swiftshaderGpu, adapter: 'nvidia', software: false, ...fig } as BackendTiming;
    expect(chooseFastest([t, wasm])?.reason).toContain(text);
  });

  test('a backend that ran out of time loses to any that timed a step, even a slower one', () => {
    const gpu: BackendTiming = { ...swiftshaderGpu, msPerStep: 1000, overBudget: true };
    const cpu: BackendTiming = { ...wasm, name: 'cpu', adapter: 'JavaScript on the CPU', msPerStep: 1500 };
    expect(chooseFastest([gpu, cpu])?.choice).toBe('cpu');
    expect(chooseFastest([gpu])?.choice).toBe('webgpu');
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
    expect(r?.reason).toContain('WebGL 2: not timed (context lost)');
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
    expect(timings[0].firstOnly).toBe(true);
  });

  test('a first step that does not finish within the budget is abandoned and its engine freed', async () => {
    const disposed: string[] = [];
    let clock = 0;
    const timings = await measureBackends(
      ['webgpu', 'wasm'],
      {
        start: async (name) => ({ name, adapter: name === 'webgpu' ? 'google swiftshader' : 'WebAssembly' }),
        engine: () => ({
          step: () => new Promise<{ ms: number }>(() => undefined), // never finishes
          dispose: () => disposed.push('engine'),
        }),
        batch: () => ({ x: new Int32Array(4), y: new Int32Array(4), batchSize: 1, blockSize: 4 }),
      },
      { budgetMs: 1000, now: () => (clock += 500), sleep: async () => undefined, skipSoftware: [] },
    );
    expect(timings.map((t) => [t.name, t.overBudget, t.msPerStep])).toEqual([
      ['webgpu', true, 500],
      ['wasm', true, 500],
    ]);
    expect(disposed).toEqual(['engine', 'engine']);
  });

  test('a software WebGL is not timed when asked, and says why', async () => {
    const d = deps({ webgpu: 1100, wasm: 50, cpu: 200 });
    const start = d.start;
    const webgl = { name: 'webgl' as const, adapter: 'ANGLE (SwiftShader driver)' };
    const dd = {
      ...d,
      start: async (name: BackendName) => (name === 'webgl' ? webgl : start(name as 'wasm')),
    };
    const timings = await measureBackends(['webgl', 'wasm'], dd, { skipSoftware: ['webgl'] });
    expect(timings[0]).toMatchObject({
      name: 'webgl',
      software: true,
      msPerStep: null,
      error: WEBGL_NOT_TIMED,
    });
    expect(d.disposed).toEqual(['wasm']);
  });

  test('Stop (an aborted signal) ends the measurement: no later backend starts', async () => {
    const d = deps({ webgpu: 1100, wasm: 50, cpu: 200 });
    const stop = new AbortController();
    const started: string[] = [];
    const start = d.start;
    d.start = async (name) => {
      started.push(name);
      if (name === 'wasm') stop.abort();
      return start(name);
    };
    const timings = await measureBackends(['webgpu', 'wasm', 'cpu'], d, { signal: stop.signal });
    expect(started).toEqual(['webgpu', 'wasm']);
    expect(timings.map((t) => t.name)).toEqual(['webgpu', 'wasm']);
    expect(timings[1].firstOnly).toBe(true); // its first step ran; no timed one started after Stop
  });

  test('a backend that falls through to another is not timed, with the reason it gave', async () => {
    const d = deps({ webgpu: 1100, wasm: 50, cpu: 200 });
    const dd = {
      ...d,
      start: async () => ({
        name: 'webgl' as const,
        adapter: 'ANGLE (SwiftShader)',
        why: 'no navigator.gpu',
      }),
    };
    const [t] = await measureBackends(['webgpu'], dd);
    expect(t).toMatchObject({
      name: 'webgpu',
      adapter: '',
      software: false,
      msPerStep: null,
      error: 'no navigator.gpu',
    });
  });
});
