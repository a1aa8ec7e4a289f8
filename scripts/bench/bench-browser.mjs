#!/usr/bin/env node
/**
 * `npm run bench`: headless Chromium (the system executable, the e2e flags) opens the built capstone
 * chapter and asks its training cell's worker to run src/model/tfjs/bench.ts (runBench) for each preset on each
 * backend (webgpu, webgl, wasm, cpu), each in a fresh page. Prints ms/step, tokens/s, achieved GFLOP/s,
 * GPU dispatches per step, peak bytes, the best matmul GFLOP/s of the same backend and the step's fraction
 * of it; writes bench-results/browser.json. When /usr/bin/python3 has torch, the notes' PyTorch model
 * (scripts/bench/torch-baseline.py, 2 CPU threads) runs the same preset right after each of our rows
 * (interleaved, so both see the same load); each row's tokens/s is printed as a ratio of that run's, and a
 * second table shows every backend's ratio side by side per preset. Every figure is a median of at least 5
 * timed steps after warm-up. The page is served with COOP/COEP, so wasm runs its threaded SIMD build.
 * WebGPU runs three times: the WebGPU engine (src/model/webgpu), TensorFlow.js with its fused WGSL kernels,
 * and TensorFlow.js with the portable ops. On WebGPU, dispatches and submits per step are counted at the API
 * (wrapped dispatchWorkgroups / queue.submit) for every engine, and a matmul microbenchmark at the model's
 * shapes compares our kernel with tf.matMul (printed below the table).
 *
 * usage: npm run build && npm run bench [-- --all] [--steps N] [--backends webgpu,wasm] [--presets tiny] [--timeout S]
 *        [--dropout R] [--no-portable] [--real-gpu] [--no-torch] [--budget S] [--matmul-only]
 *   --real-gpu lets Chromium pick the machine's GPU (Vulkan) instead of SwiftShader, for real-GPU figures, and
 *     keeps the run short for a time-limited GPU: presets tiny,small,notes, backend webgpu, the WebGPU engine
 *     and TensorFlow.js fused (no portable run), no PyTorch baseline, 5 timed steps, and a total budget
 *     (--budget S, default 200) after which the remaining runs are skipped (each named in the summary).
 *   --matmul-only runs only the matmul microbenchmark at each preset's shapes (ours vs tf.matMul, one
 *     matmul per timing), no training steps: how the `notes` shapes are measured on a software GPU.
 *   --no-torch skips the PyTorch baseline; --budget S caps the whole run's browser time (seconds).
 *   BENCH_CHROMIUM_ARGS adds Chromium flags for a particular machine's GPU (scripts/bench/real-gpu/).
 *   The last line of stdout is `BENCH_SUMMARY {json}`: every row, and the issue's targets checked.
 *   --all adds the notes preset (25 M parameters: minutes per step on a software GPU).
 *   --dropout R overrides the presets' dropout rate (tiny has none, so its dropout kernel would not run).
 *   --no-portable skips the WebGPU run with portable kernels; --no-tfjs-webgpu skips both TensorFlow.js runs on WebGPU;
 *   --no-tfjs-wasm skips the TensorFlow.js row on wasm (the WebAssembly engine row always runs).
 *   --profile prints each row's profiled step kernel by kernel (tf.profile's per-kernel times).
 *   --gpu-profile: the WebGPU engine's rows time one extra step (after the timed ones, not in their figures)
 *     with timestamp queries, each dispatch in its own pass, and print GPU ms per kernel key and per role
 *     (forward, loss, backward, adamw); Chromium gets --enable-webgpu-developer-features so the timestamps
 *     are not quantized to 100 µs. The breakdown is in browser.json and the BENCH_SUMMARY rows (gpuProfile).
 *   --slices BYTES: the WebGPU engine runs twice more, interleaved with its whole-batch rows (engine, sliced,
 *     engine, sliced), planned under a maxStorageBufferBindingSize of BYTES so each batch runs in row slices
 *     (the row names the slice size): what slicing costs, on the same adapter in the same run.
 *   --timeout S is per run (default 900: a small run on SwiftShader WebGPU takes several minutes).
 */
import { launchChromium, machineArgs } from './chromium.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '../offline/static-server.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
// Every figure is the median of at least 5 timed steps after the warm-up (runBench's and the script's).
const MIN_STEPS = 5;
const steps = Math.max(MIN_STEPS, Number(opt('--steps', String(MIN_STEPS))));
const realGpu = args.includes('--real-gpu');
const matmulOnly = args.includes('--matmul-only');
const gpuProfile = args.includes('--gpu-profile');
const presets = opt('--presets', args.includes('--all') || realGpu ? 'tiny,small,notes' : 'tiny,small').split(
  ',',
);
const backends = opt('--backends', realGpu ? 'webgpu' : 'webgpu,webgl,wasm,cpu').split(',');
// The whole run's browser time: on a lent GPU the bench must end within its slot (default 200 s there).
const budgetMs = Number(opt('--budget', realGpu ? '200' : 'Infinity')) * 1000;
const benchStart = Date.now();
const dropout = opt('--dropout', undefined) === undefined ? undefined : Number(opt('--dropout'));
const sliceLimit = opt('--slices', undefined) === undefined ? undefined : Number(opt('--slices'));
// WebGPU has fused kernels: measure it with them and with the portable ops.
const kernelRuns = (backend) => {
  // wasm: our WebAssembly engine, then TensorFlow.js's wasm backend (`--no-tfjs-wasm` skips it).
  if (backend === 'wasm') return args.includes('--no-tfjs-wasm') ? ['engine'] : ['engine', 'fused'];
  if (backend !== 'webgpu') return ['fused'];
  const engine = sliceLimit ? ['engine', 'engine-sliced', 'engine', 'engine-sliced'] : ['engine'];
  if (args.includes('--no-tfjs-webgpu')) return engine;
  return args.includes('--no-portable') || realGpu ? [...engine, 'fused'] : [...engine, 'fused', 'portable'];
};
const DIST = 'dist';
const PAGE = 'chapters/capstone/';

if (!existsSync(join(DIST, PAGE, 'index.html'))) {
  console.error('bench: dist/ has no capstone chapter; run `npm run build` first.');
  process.exit(1);
}

// A plain static server over dist/ with the site headers (astro preview allows one server per project,
// and e2e runs may hold it); the headers make the page cross-origin isolated, so wasm runs threaded.
const { server, port } = await serveStatic({ dir: DIST });

const launch = () =>
  launchChromium([
    // Full-resolution timestamp queries (Chromium quantizes them to 100 µs without it).
    ...(gpuProfile ? ['--enable-webgpu-developer-features'] : []),
    ...(args.includes('--real-gpu')
      ? ['--use-angle=vulkan', '--ignore-gpu-blocklist']
      : ['--use-webgpu-adapter=swiftshader']),
    '--enable-features=Vulkan',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    ...machineArgs(),
  ]);
// Per run. A small step takes 30–40 s on SwiftShader WebGPU, and a run is 2 warm-up steps, a profiled
// one, the timed ones and a matmul probe: 180 s cut small off; 900 s lets it finish.
const limitMs = Number(opt('--timeout', '900')) * 1000;
const hasTorch =
  !realGpu &&
  !matmulOnly &&
  !args.includes('--no-torch') &&
  spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

/** The notes' PyTorch model on the CPU for one preset (median of `steps` after 2 warm-up steps), or null. */
function torchBaseline(preset) {
  if (!hasTorch) return null;
  const r = spawnSync(
    '/usr/bin/python3',
    ['scripts/bench/torch-baseline.py', preset, String(steps), '--json'],
    {
      encoding: 'utf8',
      timeout: 600_000,
    },
  );
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').at(-1) };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const rows = [];
/** Every PyTorch run, per preset: one after each of our rows, so both saw the same load. */
const torchRuns = Object.fromEntries(presets.map((p) => [p, []]));
try {
  for (const preset of presets) {
    for (const backend of backends) {
      for (const kernels of kernelRuns(backend)) {
        const label = runLabel(backend, kernels);
        rows.push({ ...(await browserRun(preset, backend, kernels)), preset, backend: label });
        // PyTorch right after the row (interleaved preset by preset), not after all of them.
        const t = torchBaseline(preset);
        rows.at(-1).torch = t;
        if (t) torchRuns[preset].push(t);
        if (t && !t.error) console.error(`bench: ${preset} on PyTorch: ${t.msPerStep.toFixed(1)} ms/step`);
      }
    }
  }
} finally {
  server.close();
}

/** A row's name: the WebGPU engine, TensorFlow.js fused or portable on WebGPU, or the backend alone. */
function runLabel(backend, kernels) {
  if (kernels === 'engine')
    return backend === 'wasm' ? 'wasm (WebAssembly engine)' : `${backend} (WebGPU engine)`;
  if (kernels === 'engine-sliced') return `${backend} (WebGPU engine, row slices)`;
  if (backend === 'wasm') return 'wasm (tfjs)';
  if (kernels === 'portable') return `${backend} (tfjs, portable)`;
  return backend === 'webgpu' ? `${backend} (tfjs, fused)` : backend;
}

/** One of our rows: a fresh browser (a software GPU that runs out of memory takes it down) runs runBench. */
async function browserRun(preset, backend, kernels) {
  const left = budgetMs - (Date.now() - benchStart);
  if (left < 5000) {
    console.error(`bench: ${preset} on ${runLabel(backend, kernels)}: skipped (time budget spent)`);
    return { error: 'skipped: the --budget time was spent' };
  }
  const runLimitMs = Math.min(limitMs, left);
  const browser = await launch();
  const page = await browser.newPage();
  const label = runLabel(backend, kernels);
  try {
    await page.goto(`http://127.0.0.1:${port}/${PAGE}`);
    let timer;
    const out = await Promise.race([
      page.locator('training-cell').evaluate(
        (el, a) =>
          el.bench(a.preset, a.steps, a.backend, {
            kernels: a.kernels.startsWith('engine') ? 'fused' : a.kernels,
            dropout: a.dropout,
            engine: a.kernels.startsWith('engine') ? (a.backend === 'wasm' ? 'wasm' : 'webgpu') : 'tfjs',
            gpuProfile: a.kernels === 'engine' && a.gpuProfile,
            limits: a.kernels === 'engine-sliced' ? { maxStorageBufferBindingSize: a.sliceLimit } : undefined,
          }),
        {
          preset,
          steps: matmulOnly ? 0 : steps,
          backend,
          kernels,
          dropout,
          gpuProfile,
          sliceLimit,
        },
      ),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${Math.round(runLimitMs / 1000)} s`)),
          runLimitMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    if (kernels === 'engine-sliced' && !(out.result.sliceB < out.result.config.batchSize))
      throw new Error(`--slices ${sliceLimit} did not slice the batch (slices of ${out.result.sliceB})`);
    const slices = kernels === 'engine-sliced' ? `, row slices of ${out.result.sliceB}` : '';
    console.error(
      `bench: ${preset} on ${label}: ${out.result.msPerStep.toFixed(1)} ms/step (${out.adapter}${slices})`,
    );
    return { ...out.result, ran: out.result.backend, adapter: out.adapter };
  } catch (err) {
    const error = String(err.message ?? err).split('\n')[0];
    console.error(`bench: ${preset} on ${label}: ${error}`);
    return { error };
  } finally {
    await browser.close().catch(() => undefined);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Per preset: the median of its PyTorch runs' ms/step (each itself a median of `steps`). */
const torch = Object.fromEntries(
  presets.map((p) => {
    const ok = torchRuns[p].filter((t) => !t.error);
    if (!ok.length) return [p, torchRuns[p][0] ?? null];
    const ms = median(ok.map((t) => t.msPerStep));
    return [
      p,
      { ...ok[0], msPerStep: ms, tokensPerSec: (ok[0].tokensPerSec * ok[0].msPerStep) / ms, runs: ok.length },
    ];
  }),
);

const fmt = (x, d = 1) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');
const header = [
  'preset',
  'backend',
  'ms/step',
  'tokens/s',
  'GFLOP/s',
  'dispatches',
  'API dispatches',
  'submits',
  'fused kernels',
  'peak MB',
  'matmul GFLOP/s',
  'fraction',
  'torch ms/step',
  'vs torch',
];
const table = rows.map((r) => {
  // A failed run's row has every column too: one short row used to throw here and lose the whole table.
  if (r.error) return [r.preset, r.backend, `unavailable: ${r.error}`, ...header.slice(3).map(() => '')];
  const t = r.torch; // the PyTorch run right after this row
  return [
    r.preset,
    r.backend,
    fmt(r.msPerStep),
    fmt(r.tokensPerSec, 0),
    fmt(r.gflops, 2),
    String(r.dispatchesPerStep),
    fmt(r.submitsPerStep !== undefined ? r.dispatchesPerStep : r.dispatches, 0),
    fmt(r.submitsPerStep ?? r.submits, 0),
    r.submitsPerStep !== undefined ? 'engine' : r.fusedKernels?.length ? r.fusedKernels.join('+') : 'none',
    fmt(r.peakBytes / 1e6, 1),
    fmt(r.matmulGflops, 1),
    fmt(r.fraction, 3),
    t && !t.error ? fmt(t.msPerStep) : '—',
    t && !t.error ? `${fmt(r.tokensPerSec / t.tokensPerSec, 3)}×` : '—',
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
for (const row of table) console.log(line(row));
if (args.includes('--profile')) {
  for (const r of rows.filter((x) => !x.error && x.kernelTimes)) {
    const inKernels = r.kernelTimes.reduce((sum, k) => sum + k.ms, 0);
    console.log(
      `\n${r.preset} on ${r.backend} (${r.adapter}): profiled step ${fmt(r.profiledMs)} ms, ` +
        `${fmt(inKernels)} ms in ${r.kernelsPerStep} kernels, ${fmt(r.profiledMs - inKernels)} ms outside them`,
    );
    for (const k of r.kernelTimes.slice(0, 14)) {
      const share = `${fmt((100 * k.ms) / r.profiledMs)} %`;
      console.log(
        `  ${k.name.padEnd(22)} ${String(k.calls).padStart(4)} calls ${fmt(k.ms).padStart(8)} ms ${share.padStart(7)}`,
      );
    }
  }
}
if (gpuProfile) {
  for (const r of rows.filter((x) => !x.error && x.gpuProfile)) {
    const g = r.gpuProfile;
    if (g.error) {
      console.log(`\n${r.preset} on ${r.backend}: no GPU profile (${g.error})`);
      continue;
    }
    console.log(
      `\n${r.preset} on ${r.backend} (${r.adapter}): GPU profile of one extra step (${g.dispatches} dispatches, ` +
        `one timed pass each): kernels ${fmt(g.totalMs, 2)} ms, first start to last end ${fmt(g.spanMs, 2)} ms, ` +
        `that step ${fmt(g.stepMs, 1)} ms wall (timed steps: ${fmt(r.msPerStep, 1)} ms)` +
        (g.invalid ? `; ${g.invalid} dispatches with end < begin counted 0` : ''),
    );
    const show = (e) =>
      `  ${e.name.padEnd(34)} ${String(e.count).padStart(4)}× ${fmt(e.ms, 3).padStart(9)} ms ` +
      `${`${fmt(100 * e.share)} %`.padStart(7)}`;
    for (const e of g.kernels.slice(0, 16)) console.log(show(e));
    if (g.kernels.length > 16) console.log(`  … ${g.kernels.length - 16} more kernel keys`);
    console.log('  by role:');
    for (const e of g.roles) console.log(show(e));
  }
}

console.log('');
// Side by side: each backend's tokens/s as a fraction of PyTorch's, measured right after it.
const labels = [...new Set(rows.map((r) => r.backend))];
const ratioHeader = ['preset', 'PyTorch ms/step', ...labels.map((l) => `${l} / PyTorch`)];
const ratioRows = presets.map((p) => [
  p,
  torch[p] && !torch[p].error ? fmt(torch[p].msPerStep) : '—',
  ...labels.map((l) => {
    const r = rows.find((x) => x.preset === p && x.backend === l);
    return r && !r.error && r.torch && !r.torch.error
      ? `${fmt(r.tokensPerSec / r.torch.tokensPerSec, 3)}×`
      : '—';
  }),
]);
const rw = ratioHeader.map((h, i) => Math.max(h.length, ...ratioRows.map((row) => row[i].length)));
console.log(ratioHeader.map((c, i) => c.padEnd(rw[i])).join('  '));
for (const row of ratioRows) console.log(row.map((c, i) => c.padEnd(rw[i])).join('  '));
for (const [preset, t] of Object.entries(torch)) {
  if (t && !t.error) {
    console.log(
      `torch ${t.torch} ${preset} (${t.threads} threads): median ${fmt(t.msPerStep)} ms/step over ${t.runs} runs, ` +
        `${fmt(t.tokensPerSec, 0)} tokens/s (CPU)`,
    );
  } else if (t) console.log(`torch ${preset}: failed (${t.error})`);
}
for (const r of rows.filter((x) => x.matmul)) {
  const shapes = r.matmul.map((m) => `${m.name} ${m.M}×${m.N}×${m.K}: ${fmt(m.gflops, 2)}`).join('; ');
  console.log(`matmul GFLOP/s ${r.preset} ${r.backend}: ${shapes}`);
}
if (!hasTorch) console.log('torch: /usr/bin/python3 has no torch; no baseline.');
const adapters = [...new Set(rows.filter((r) => r.adapter).map((r) => `${r.backend}: ${r.adapter}`))];
console.log(`adapters: ${adapters.join('; ')}`);

mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/browser.json',
  JSON.stringify({ date: new Date().toISOString(), steps, dropout, rows, torch, adapters }, null, 2) + '\n',
);
console.log('wrote bench-results/browser.json');
console.log(`BENCH_SUMMARY ${JSON.stringify(benchSummary(rows))}`);

/** The machine-readable summary: one object per row and the issue's targets checked where both rows ran. */
function benchSummary(all) {
  const row = (p, l) => all.find((r) => r.preset === p && r.backend === l && !r.error);
  const engine = (p) => row(p, 'webgpu (WebGPU engine)');
  const tfjs = (p) => row(p, 'webgpu (tfjs, fused)');
  const ratio = (a, b) => (a && b ? a / b : null);
  const mm = (p) => {
    const [e, t] = [engine(p), tfjs(p)];
    if (!e?.matmul || !t?.matmul) return null;
    return e.matmul.map((m) => {
      const other =
        t.matmul.find((x) => x.name === m.name) ??
        t.matmul.find((x) => x.M === m.M && x.N === m.N && x.K === m.K);
      return {
        name: m.name,
        ours: m.gflops,
        tfjs: other?.gflops ?? null,
        ratio: ratio(m.gflops, other?.gflops),
      };
    });
  };
  const notes = engine('notes');
  return {
    date: new Date().toISOString(),
    realGpu,
    steps,
    adapters: [...new Set(all.filter((r) => r.adapter).map((r) => r.adapter))],
    rows: all.map((r) => ({
      preset: r.preset,
      engine: r.backend,
      error: r.error ?? null,
      msPerStep: r.msPerStep ?? null,
      tokensPerSec: r.tokensPerSec ?? null,
      gflops: r.gflops ?? null,
      // Counted at the API (tfjs rows: `dispatches`; their dispatchesPerStep is tf.profile's undercount).
      dispatchesPerStep: (r.submitsPerStep !== undefined ? r.dispatchesPerStep : r.dispatches) ?? null,
      submitsPerStep: r.submitsPerStep ?? r.submits ?? null,
      peakBytes: r.peakBytes ?? null,
      matmul: r.matmul ?? null,
      gpuProfile: r.gpuProfile ?? null,
    })),
    targets: {
      smallTokensPerSecVsTfjs: {
        want: 3,
        got: ratio(engine('small')?.tokensPerSec, tfjs('small')?.tokensPerSec),
      },
      notesDispatchesPerStep: { want: 120, got: notes?.dispatchesPerStep ?? null },
      notesSubmitsPerStep: { want: 1, got: notes?.submitsPerStep ?? null },
      notesPeakBytesVsTfjs: { want: 1, got: ratio(notes?.peakBytes, tfjs('notes')?.peakBytes) },
      notesMatmulVsTfjs: { want: 2, got: mm('notes') },
      // Issue 13: the WebAssembly engine's tokens/s against PyTorch's run right after it.
      wasmTokensPerSecVsTorch: Object.fromEntries(
        presets.map((p) => {
          const r = row(p, 'wasm (WebAssembly engine)');
          const t = r?.torch && !r.torch.error ? r.torch : null;
          return [p, { want: 0.5, got: t ? r.tokensPerSec / t.tokensPerSec : null }];
        }),
      ),
    },
  };
}
