#!/usr/bin/env node
/**
 * The Node half of `npm run bench`: runs src/model/tfjs/bench.ts (the same function the browser runner calls
 * on WebGPU) on the tfjs CPU backend, or with `--backend wasm` on tfjs-backend-wasm (its SIMD build; tfjs
 * runs one thread in Node), prints one line per preset and writes bench-results/node.json.
 * Vite's SSR loader compiles the TypeScript on the fly, so nothing is built first.
 *
 * usage: node scripts/bench/bench-node.mjs [preset ...] [--steps N] [--backend cpu|wasm|wasm-engine] [--torch]
 *        [--profile]   (default: tiny, 5 steps, cpu)
 *   --backend wasm-engine runs the WebAssembly engine (src/model/wasm: its own SIMD kernels, no TensorFlow.js,
 *           one thread) instead of TensorFlow.js.
 *   --torch runs the notes' PyTorch model (scripts/bench/torch-baseline.py, 2 threads, same step count)
 *           right after each of our rows, so both see the same load, and prints the tokens/s ratio.
 *   --profile prints one more step kernel by kernel: the CPU time (process.cpuUsage, so other processes'
 *           load does not count) of every backend kernel the step runs, with calls and share of the step's
 *           CPU time; what is left is tfjs's own JavaScript (op dispatch, tape, gradients).
 * Every figure is the median of at least 5 timed steps after 2 warm-up steps.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { withTfjsCpu } from '../lib/tfjs-cpu-node.mjs';

const args = process.argv.slice(2);
const take = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args.splice(i, 1), true) : false;
};
const steps = Math.max(5, Number(take('--steps', '5')));
const backend = take('--backend', 'cpu');
const withTorch = flag('--torch');
const profile = flag('--profile');
const presets = args.length ? args : ['tiny'];

/** The notes' PyTorch model on the CPU for one preset (median of `steps` after 2 warm-up steps). */
function torchBaseline(preset) {
  const r = spawnSync(
    '/usr/bin/python3',
    ['scripts/bench/torch-baseline.py', preset, String(steps), '--json'],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  if (r.status !== 0) return { error: (r.stderr || String(r.error)).trim().split('\n').at(-1) };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** CPU milliseconds this process has used (every thread; tfjs runs one in Node). */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Wrap every kernel the backend registered so each call adds its CPU time to `times` (by kernel name; a
 * kernel that calls another kernel's function directly counts both in its own time), while `times.on`.
 */
function timeKernels(tf, backend) {
  const times = { on: false, byName: new Map() };
  for (const config of tf.getKernelsForBackend(backend)) {
    const run = config.kernelFunc;
    config.kernelFunc = (args) => {
      if (!times.on) return run(args);
      const t0 = cpuMs();
      const out = run(args);
      // Batched products (attention) and 2-D ones (Linear layers) run different code in wasm: split them.
      const rank = config.kernelName === 'BatchMatMul' ? args.inputs.a.shape.length : 0;
      const name = rank ? `${config.kernelName} ${rank > 2 ? 'batched' : '2-D'}` : config.kernelName;
      const e = times.byName.get(name) ?? { calls: 0, ms: 0 };
      e.calls += 1;
      e.ms += cpuMs() - t0;
      times.byName.set(name, e);
      return out;
    };
  }
  return times;
}

/** One training step of `preset` after 2 warm-up steps, its kernels timed in CPU time, printed by share. */
async function profileStep(load, tf, preset) {
  const { makeConfig } = await load('/src/model/config.ts');
  const { sampleBatch } = await load('/src/model/data.ts');
  const { createRng } = await load('/src/lib/rng.ts');
  const { createTfjsEngine } = await load('/src/model/tfjs/engine.ts');
  const cfg = makeConfig(preset);
  const rng = createRng(cfg.seed);
  const data = Int32Array.from({ length: 20_000 }, (_, i) => (i * 7 + (i >> 3)) % cfg.vocabSize);
  const batch = () => sampleBatch(data, cfg.blockSize, cfg.batchSize, rng);
  const engine = createTfjsEngine(cfg);
  const times = kernelTimes ?? (kernelTimes = timeKernels(tf, backend));
  try {
    for (let i = 0; i < 2; i++) await engine.step(batch());
    times.byName.clear();
    const b = batch();
    const [c0, t0] = [cpuMs(), performance.now()];
    times.on = true;
    await engine.step(b);
    times.on = false;
    const [stepCpu, stepWall] = [cpuMs() - c0, performance.now() - t0];
    const rows = [...times.byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
    const inKernels = rows.reduce((a, r) => a + r.ms, 0);
    console.log(
      `  ${preset} step on ${backend}: ${stepCpu.toFixed(1)} ms CPU (${stepWall.toFixed(1)} ms wall), ` +
        `${inKernels.toFixed(1)} ms CPU in ${rows.reduce((a, r) => a + r.calls, 0)} kernel calls:`,
    );
    const line = (name, calls, ms) =>
      console.log(
        `  ${name.padEnd(24)} ${String(calls).padStart(5)} calls ${ms.toFixed(1).padStart(9)} ms ` +
          `${((ms / stepCpu) * 100).toFixed(1).padStart(5)} %`,
      );
    for (const r of rows.filter((r) => r.ms >= 0.05)) line(r.name, r.calls, r.ms);
    line('(outside kernels)', '', stepCpu - inKernels);
  } finally {
    engine.dispose();
  }
}
let kernelTimes;

await withTfjsCpu(async (load) => {
  if (backend === 'wasm') {
    const tf = await load('/src/model/tfjs/tf.ts');
    const wasm = await load('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(`${process.cwd()}/node_modules/@tensorflow/tfjs-backend-wasm/dist/`);
    if (!(await tf.setBackend('wasm'))) throw new Error('bench: the wasm backend did not start');
    (await load('/src/model/tfjs/wasm-fixes.ts')).fixWasmOneHot();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    console.log(
      `wasm: ${simd ? 'SIMD' : 'no SIMD'}, ${wasm.getThreadsCount()} thread (tfjs runs one in Node)`,
    );
  } else if (backend !== 'cpu' && backend !== 'wasm-engine')
    throw new Error(`bench: --backend ${backend}: use cpu, wasm or wasm-engine`);
  const { runBench, formatBench } = await load('/src/model/tfjs/bench.ts');
  // The WebAssembly engine (src/model/wasm): its own SIMD kernels, no TensorFlow.js.
  const wasmEngine =
    backend === 'wasm-engine'
      ? await load('/src/model/wasm/index.ts').then(async (m) => ({
          ...m,
          kernels: await m.instantiateKernels(readFileSync('src/model/wasm/kernels.wasm')),
        }))
      : null;
  const results = [];
  for (const preset of presets) {
    let r;
    if (wasmEngine) {
      r = await wasmEngine.benchWasmEngine(wasmEngine.kernels, preset, { steps, warmup: 2 });
      const mm = r.matmul.map((m) => `${m.name} ${m.gflops.toFixed(1)}`).join(', ');
      console.log(
        `${preset}: ${r.backend}: ${r.msPerStep.toFixed(1)} ms/step, ${r.tokensPerSec.toFixed(0)} tokens/s, ` +
          `${r.gflops.toFixed(2)} GFLOP/s, loss ${r.finalLoss.toFixed(3)}; matmul GFLOP/s ${mm}`,
      );
    } else {
      r = await runBench(preset, { steps, warmup: 2, matmulSizes: [128, 256], matmulReps: 3 });
      console.log(`${preset}: ${formatBench(r)}`);
    }
    if (profile && !wasmEngine) await profileStep(load, await load('/src/model/tfjs/tf.ts'), preset);
    const torch = withTorch ? torchBaseline(preset) : undefined;
    if (torch?.error) console.log(`${preset}: PyTorch failed: ${torch.error}`);
    else if (torch) {
      const ratio = r.tokensPerSec / torch.tokensPerSec;
      console.log(
        `${preset}: torch ${torch.torch} threads=${torch.threads} ms/step=${torch.msPerStep.toFixed(1)} ` +
          `tok/s=${torch.tokensPerSec.toFixed(0)} CPU ms/step=${torch.cpuMsPerStep?.toFixed(1)} ` +
          `→ ${backend}/PyTorch tokens/s = ${ratio.toFixed(2)}×`,
      );
    }
    results.push({ preset, ...r, torch });
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/node.json', JSON.stringify(results, null, 2) + '\n');
});
