#!/usr/bin/env node
/**
 * Which Chromium flags give WebGPU a real GPU adapter on this machine? Serves dist/ (site headers),
 * opens the home page under each flag set and prints the adapter's info, features and two limits as
 * one JSON line per set. Used by run.sh before the bench, so the bench's flags are the working ones.
 *
 * usage: node scripts/bench/real-gpu/probe.mjs   (CHROMIUM_PATH overrides /usr/bin/chromium)
 */
import { launchChromium } from '../chromium.mjs';
import { serveStatic } from '../../offline/static-server.mjs';

/**
 * Flag sets to try, the one that worked first: on an H200 with no display (driver 580, Chrome 156) only
 * ANGLE on Vulkan with no Vulkan surface gave WebGPU the GPU (the engine then finds it through the
 * compatibility-level fallback in src/model/webgpu/adapter.ts); the others gave SwiftShader or nothing.
 * PROBE_FLAG_SETS (a JSON list of lists) replaces them.
 */
export const FLAG_SETS = process.env.PROBE_FLAG_SETS
  ? JSON.parse(process.env.PROBE_FLAG_SETS)
  : [
      ['--use-angle=vulkan', '--enable-features=Vulkan', '--disable-vulkan-surface'],
      ['--enable-features=Vulkan', '--use-vulkan=native', '--use-angle=vulkan'],
      [],
    ];

const { server, port } = await serveStatic({ dir: 'dist' });
try {
  for (const flags of FLAG_SETS) {
    const browser = await launchChromium(['--ignore-gpu-blocklist', '--disable-dev-shm-usage', ...flags]);
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      const info = await page.evaluate(async () => {
        if (!navigator.gpu) return { error: 'no navigator.gpu' };
        // No options, as the engine asks (a power preference finds no adapter under ANGLE on Vulkan: its GPU has no PCI ids).
        const a =
          (await navigator.gpu.requestAdapter()) ??
          (await navigator.gpu.requestAdapter({ featureLevel: 'compatibility' }));
        if (!a) return { error: 'no adapter' };
        const i = a.info ?? {};
        return {
          vendor: i.vendor,
          architecture: i.architecture,
          device: i.device,
          description: i.description,
          fallback: i.isFallbackAdapter ?? null,
          featureLevel: a.featureLevel ?? null,
          features: [...a.features].sort(),
          maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
          maxComputeInvocationsPerWorkgroup: a.limits.maxComputeInvocationsPerWorkgroup,
        };
      });
      console.log(JSON.stringify({ flags: flags.join(' '), ...info }));
    } catch (err) {
      console.log(JSON.stringify({ flags: flags.join(' '), error: String(err).split('\n')[0] }));
    } finally {
      await browser.close().catch(() => undefined);
    }
  }
} finally {
  server.close();
}
