#!/usr/bin/env node
/**
 * Correctness on the machine's GPU before its figures: the WebGPU engine's kernel self-check (every WGSL
 * kernel against its CPU twin) and PyTorch parity (tests/golden/model/gpt_tiny.json) for the WebGPU engine
 * and TensorFlow.js, in the training cell's worker, as e2e/webgpu-engine.spec.ts runs them on SwiftShader.
 * Prints one JSON line per check; exits 1 if any fails.
 *
 * usage: BENCH_CHROMIUM_ARGS='...' node scripts/bench/real-gpu/check.mjs   (CHROMIUM_PATH as for the bench)
 */
import { launchChromium, machineArgs } from '../chromium.mjs';
import { readFileSync } from 'node:fs';
import { serveStatic } from '../../offline/static-server.mjs';

const golden = JSON.parse(readFileSync('tests/golden/model/gpt_tiny.json', 'utf8'));
const { server, port } = await serveStatic({ dir: 'dist' });
const browser = await launchChromium(['--ignore-gpu-blocklist', ...machineArgs()]);
let failed = false;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/chapters/capstone/`);
  const cell = page.locator('training-cell');
  const kernels = await cell.evaluate((el) => el.kernelCheck('webgpu'));
  const bad = kernels.results.filter((r) => !r.ok || r.errors.length || r.err > r.tol);
  const worst = Math.max(...kernels.results.map((r) => r.err / (r.tol || 1)));
  console.log(
    JSON.stringify({ check: 'kernels', cases: kernels.results.length, failed: bad, worstErrOverTol: worst }),
  );
  failed ||= bad.length > 0;
  for (const engine of ['auto', 'tfjs']) {
    const { report, pass } = await cell.evaluate((el, a) => el.parity(a.golden, a.engine), {
      golden,
      engine,
    });
    console.log(
      JSON.stringify({
        check: `parity ${engine === 'auto' ? 'WebGPU engine' : 'TensorFlow.js'}`,
        pass,
        report,
      }),
    );
    failed ||= pass === false;
  }
} catch (err) {
  console.log(JSON.stringify({ check: 'error', error: String(err).split('\n')[0] }));
  failed = true;
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
