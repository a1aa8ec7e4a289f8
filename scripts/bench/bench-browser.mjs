#!/usr/bin/env node
/**
 * `npm run bench`: headless Chromium (the system executable, the e2e flags) opens the built capstone
 * chapter and asks its training cell's worker to run src/model/bench.ts (runBench) for each preset on each
 * backend (webgpu, webgl, wasm, cpu), each in a fresh page. Prints ms/step, tokens/s, achieved GFLOP/s,
 * GPU dispatches per step, peak bytes, the best matmul GFLOP/s of the same backend and the step's fraction
 * of it; writes bench-results/browser.json. When /usr/bin/python3 has torch, the notes' PyTorch model
 * (scripts/bench/torch-baseline.py) runs the same preset and our tokens/s is printed as a ratio of its.
 * WebGPU runs twice, with its fused WGSL kernels and with the portable tfjs ops, so the saving shows.
 *
 * usage: npm run build && npm run bench [-- --all] [--steps N] [--backends webgpu,wasm] [--presets tiny] [--timeout S]
 *        [--dropout R] [--no-portable] [--real-gpu]
 *   --real-gpu lets Chromium pick the machine's GPU (Vulkan) instead of SwiftShader, for real-GPU figures.
 *   --all adds the notes preset (25 M parameters: minutes per step on a software GPU).
 *   --dropout R overrides the presets' dropout rate (tiny has none, so its dropout kernel would not run).
 *   --no-portable skips the WebGPU run with portable kernels.
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '../offline/static-server.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const steps = Number(opt('--steps', '5'));
const presets = opt('--presets', args.includes('--all') ? 'tiny,small,notes' : 'tiny,small').split(',');
const backends = opt('--backends', 'webgpu,webgl,wasm,cpu').split(',');
const dropout = opt('--dropout', undefined) === undefined ? undefined : Number(opt('--dropout'));
// WebGPU has fused kernels: measure it with them and with the portable ops.
const kernelRuns = (backend) =>
  backend === 'webgpu' && !args.includes('--no-portable') ? ['fused', 'portable'] : ['fused'];
const DIST = 'dist';
const PAGE = 'chapters/capstone/';

if (!existsSync(join(DIST, PAGE, 'index.html'))) {
  console.error('bench: dist/ has no capstone chapter; run `npm run build` first.');
  process.exit(1);
}

// A plain static server over dist/ with the site headers (astro preview allows one server per project,
// and e2e runs may hold it); the headers make the page cross-origin isolated, so wasm runs threaded.
const { server, port } = await serveStatic({ dir: DIST });

const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const launch = () =>
  chromium.launch({
    executablePath,
    args: [
      '--enable-unsafe-webgpu',
      ...(args.includes('--real-gpu')
        ? ['--use-angle=vulkan', '--ignore-gpu-blocklist']
        : ['--use-webgpu-adapter=swiftshader']),
      '--enable-features=Vulkan',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
const limitMs = Number(opt('--timeout', '180')) * 1000;

function torchBaseline(preset) {
  const check = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (check.status !== 0) return null;
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
try {
  for (const preset of presets) {
    for (const backend of backends) {
      for (const kernels of kernelRuns(backend)) {
        // A fresh browser per run: a software GPU that runs out of memory takes the whole browser down.
        const browser = await launch();
        const page = await browser.newPage();
        const label = kernels === 'portable' ? `${backend} (portable)` : backend;
        try {
          await page.goto(`http://127.0.0.1:${port}/${PAGE}`);
          let timer;
          const out = await Promise.race([
            page
              .locator('training-cell')
              .evaluate(
                (el, a) => el.bench(a.preset, a.steps, a.backend, { kernels: a.kernels, dropout: a.dropout }),
                {
                  preset,
                  steps,
                  backend,
                  kernels,
                  dropout,
                },
              ),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${limitMs / 1000} s`)), limitMs);
            }),
          ]).finally(() => clearTimeout(timer));
          rows.push({ ...out.result, preset, backend: label, ran: out.result.backend, adapter: out.adapter });
          console.error(`bench: ${preset} on ${label}: ${out.result.msPerStep.toFixed(1)} ms/step`);
        } catch (err) {
          rows.push({ preset, backend: label, error: String(err.message ?? err).split('\n')[0] });
          console.error(`bench: ${preset} on ${label}: ${String(err.message ?? err).split('\n')[0]}`);
        } finally {
          await browser.close().catch(() => undefined);
        }
      }
    }
  }
} finally {
  server.close();
}

const torch = {};
for (const preset of presets) torch[preset] = torchBaseline(preset);

const fmt = (x, d = 1) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');
const header = [
  'preset',
  'backend',
  'ms/step',
  'tokens/s',
  'GFLOP/s',
  'dispatches',
  'fused kernels',
  'peak MB',
  'matmul GFLOP/s',
  'fraction',
  'vs torch',
];
const table = rows.map((r) => {
  if (r.error) return [r.preset, r.backend, `unavailable: ${r.error}`, '', '', '', '', '', '', '', ''];
  const t = torch[r.preset];
  return [
    r.preset,
    r.backend,
    fmt(r.msPerStep),
    fmt(r.tokensPerSec, 0),
    fmt(r.gflops, 2),
    String(r.dispatchesPerStep),
    r.fusedKernels?.length ? r.fusedKernels.join('+') : 'none',
    fmt(r.peakBytes / 1e6, 1),
    fmt(r.matmulGflops, 1),
    fmt(r.fraction, 3),
    t && !t.error ? `${fmt(r.tokensPerSec / t.tokensPerSec, 3)}×` : '—',
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(header));
for (const row of table) console.log(line(row));
for (const [preset, t] of Object.entries(torch)) {
  if (t && !t.error) {
    console.log(
      `torch ${t.torch} ${preset}: ${fmt(t.msPerStep)} ms/step, ${fmt(t.tokensPerSec, 0)} tokens/s (CPU)`,
    );
  } else if (t) console.log(`torch ${preset}: failed (${t.error})`);
  else console.log('torch: /usr/bin/python3 has no torch; no baseline.');
}
const adapters = [...new Set(rows.filter((r) => r.adapter).map((r) => `${r.backend}: ${r.adapter}`))];
console.log(`adapters: ${adapters.join('; ')}`);

mkdirSync('bench-results', { recursive: true });
writeFileSync(
  'bench-results/browser.json',
  JSON.stringify({ date: new Date().toISOString(), steps, dropout, rows, torch, adapters }, null, 2) + '\n',
);
console.log('wrote bench-results/browser.json');
