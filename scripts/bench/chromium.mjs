/** Headless Chromium for the benches and the real-GPU scripts, started one way. */
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser. */
const executablePath =
  process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

/** Extra flags for a particular machine's GPU (e.g. `--use-vulkan=native`), from BENCH_CHROMIUM_ARGS. */
export function machineArgs() {
  return (process.env.BENCH_CHROMIUM_ARGS ?? '').split(' ').filter(Boolean);
}

/** Launch Chromium with WebGPU enabled, plus `args`. */
export function launchChromium(args = []) {
  return chromium.launch({ executablePath, args: ['--enable-unsafe-webgpu', ...args] });
}
