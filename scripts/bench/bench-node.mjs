#!/usr/bin/env node
/**
 * The Node half of `npm run bench`: runs src/model/tfjs/bench.ts (the same function the browser runner calls
 * on WebGPU) on the tfjs CPU backend, prints one line per preset and writes bench-results/node.json.
 * Vite's SSR loader compiles the TypeScript on the fly, so nothing is built first.
 *
 * usage: node scripts/bench/bench-node.mjs [preset ...] [--steps N]      (default: tiny, 5 steps)
 * Compare with the PyTorch baseline: /usr/bin/python3 scripts/bench/torch-baseline.py tiny
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { withTfjsCpu } from '../lib/tfjs-cpu-node.mjs';

const args = process.argv.slice(2);
const stepsAt = args.indexOf('--steps');
const steps = stepsAt >= 0 ? Number(args.splice(stepsAt, 2)[1]) : 5;
const presets = args.length ? args : ['tiny'];

await withTfjsCpu(async (load) => {
  const { runBench, formatBench } = await load('/src/model/tfjs/bench.ts');
  const results = [];
  for (const preset of presets) {
    const r = await runBench(preset, { steps, warmup: 2, matmulSizes: [128, 256], matmulReps: 3 });
    console.log(`${preset}: ${formatBench(r)}`);
    results.push({ preset, ...r });
  }
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/node.json', JSON.stringify(results, null, 2) + '\n');
});
