/**
 * Offline, installable and cross-origin isolated (issue 13): the service worker, the update prompt, the
 * manifest, COOP/COEP, and the threads the wasm backend gets from them. The service worker tests serve a
 * copy of dist/ with scripts/offline/static-server.mjs (as a static host would), so they can switch the
 * server off or deploy a second build; the other specs block service workers (playwright.config.ts).
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { chapterPages } from './pages';
import { MICRO, fill, openCell } from './training-cell-helpers';
import { serveStatic } from '../scripts/offline/static-server.mjs';

type Served = Awaited<ReturnType<typeof serveStatic>>;

/** Stop a static server now, open keep-alive connections included. */
function shutDown(s: Served): void {
  s.server.closeAllConnections();
  s.server.close();
}

/** A context on `baseURL` that allows service workers, and a page whose console errors are collected. */
async function swPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ serviceWorkers: 'allow', baseURL });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

/** Wait until the service worker has installed (precache done) and controls the page. */
async function controlled(page: Page): Promise<string> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  return swVersion(page);
}

/** The version of the service worker that controls the page. */
function swVersion(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => resolve((e.data as { version: string }).version);
        navigator.serviceWorker.controller!.postMessage({ type: 'version' }, [channel.port2]);
      }),
  );
}

/** A copy of dist/ that a test may change and rebuild the service worker for. */
function copyOfDist(): string {
  const dir = mkdtempSync(join(tmpdir(), 'an-dist-'));
  cpSync('dist', dir, { recursive: true });
  return dir;
}

test.describe('cross-origin isolation', () => {
  test('the built site served by astro preview is isolated and wasm runs threaded SIMD', async ({
    page,
    request,
  }) => {
    test.setTimeout(120_000);
    const res = await request.get('./chapters/capstone/');
    expect(res.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers()['cross-origin-embedder-policy']).toBe('require-corp');
    await page.goto('./chapters/capstone/');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const out = await page.locator('training-cell').evaluate((el) =>
      // TensorFlow.js's wasm backend: its threads are what isolation buys.
      (el as unknown as { bench(...a: unknown[]): Promise<{ adapter: string }> }).bench('tiny', 1, 'wasm', {
        engine: 'tfjs',
      }),
    );
    expect(out.adapter).toBe(cores > 1 ? `WebAssembly (SIMD, ${cores} threads)` : expect.any(String));
  });

  test('without the headers wasm runs one thread and says why', async ({ browser }) => {
    test.setTimeout(120_000);
    const served = await serveStatic({ dir: 'dist', isolate: false });
    const context = await browser.newContext({ serviceWorkers: 'block', baseURL: served.url });
    try {
      const page = await context.newPage();
      await page.goto('chapters/capstone/');
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      const out = await page
        .locator('training-cell')
        .evaluate((el) =>
          (el as unknown as { bench(...a: unknown[]): Promise<{ adapter: string }> }).bench(
            'tiny',
            1,
            'wasm',
            { engine: 'tfjs' },
          ),
        );
      expect(out.adapter).toMatch(/^WebAssembly \(1 thread\): the page is not cross-origin isolated/);
    } finally {
      await context.close();
      shutDown(served);
    }
  });
});

test.describe('service worker', () => {
  test('after one visit everything works offline: chapters, a widget, search, review, training', async ({
    browser,
  }) => {
    test.setTimeout(300_000);
    const served = await serveStatic({ dir: 'dist' });
    const { context, page, errors } = await swPage(browser, served.url);
    const foreign: string[] = [];
    context.on('request', (r) => {
      if (!r.url().startsWith(served.url) && !/^(blob|data):/.test(r.url())) foreign.push(r.url());
    });
    try {
      await page.goto('./');
      await controlled(page);
      // Service-worker responses carry COOP/COEP themselves (hosts such as GitHub Pages cannot send them).
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

      // First visit to the capstone: train once online, so tfjs, the worker and the corpus are cached.
      const cell = await openCell(page);
      await fill(page, { ...MICRO, maxIters: '10', evalInterval: '5', sampleEvery: '0' });
      await cell.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 120_000 });

      await context.setOffline(true);
      shutDown(served); // and the server is gone too, whatever setOffline covers

      for (const path of chapterPages()) {
        await page.goto(path);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      }

      await page.goto('chapters/start-here/');
      const logits = page.locator('softmax-mini').getByLabel('Logits (comma-separated)');
      await logits.fill('2, 1, 0.1');
      await expect(page.locator('softmax-mini tbody tr td:nth-child(3)')).toHaveText([
        '0.6590',
        '0.2424',
        '0.0986',
      ]);

      await page.goto('search/?q=softmax');
      await expect(page.getByRole('status')).toHaveText(/match “softmax”/, { timeout: 30_000 });
      await expect(page.locator('.results a').first()).toBeVisible();

      await page.goto('review/?deck=start-here');
      await expect(page.locator('.fc-quiz')).toHaveAttribute('data-phase', 'question');
      await page.keyboard.press('Space');
      await expect(page.locator('.fc-answer')).toBeVisible();

      await openCell(page);
      await fill(page, { ...MICRO, maxIters: '10', evalInterval: '5', sampleEvery: '0' });
      await cell.getByRole('button', { name: 'Train', exact: true }).click();
      await expect(cell).toHaveAttribute('data-stopped', 'max-iters', { timeout: 120_000 });
      await expect(cell.locator('.log')).toContainText('Finished 10 steps');

      expect(foreign, 'requests to another origin').toEqual([]);
      expect(errors, 'console errors').toEqual([]);
    } finally {
      await context.close();
      shutDown(served);
    }
  });

  test('a new deployment reaches an open page only after the update prompt is accepted', async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const dir = copyOfDist();
    const served = await serveStatic({ dir });
    const { context, page, errors } = await swPage(browser, served.url);
    try {
      await page.goto('./');
      const v1 = await controlled(page);
      const prompt = page.getByRole('status').filter({ hasText: 'A new version is available — reload' });
      await expect(prompt).toBeHidden();

      // The second build: a changed stylesheet and home page, and the service worker generated again.
      const css = readdirSync(join(dir, '_astro')).find((f) => f.startsWith('Base.') && f.endsWith('.css'))!;
      appendFileSync(join(dir, '_astro', css), '\nbody { outline: 0 solid transparent; }\n');
      const home = join(dir, 'index.html');
      writeFileSync(
        home,
        readFileSync(home, 'utf8').replace('</main>', '<p id="v2">Second build</p></main>'),
      );
      execFileSync(process.execPath, ['scripts/offline/build-offline.mjs', dir], {
        env: { ...process.env, BASE_PATH: process.env.BASE_PATH ?? '/' },
      });

      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
      await expect(prompt).toBeVisible({ timeout: 30_000 });
      // Until the learner accepts, the page (even reloaded) is the first build, whole.
      await page.reload();
      await expect(page.locator('#v2')).toHaveCount(0);
      expect(await swVersion(page)).toBe(v1);
      await expect(prompt).toBeVisible({ timeout: 30_000 });

      await prompt.getByRole('button', { name: 'Reload' }).click();
      await expect(page.locator('#v2')).toHaveText('Second build', { timeout: 30_000 });
      expect(await swVersion(page)).not.toBe(v1);
      await expect(prompt).toBeHidden();
      expect(errors, 'console errors').toEqual([]);
    } finally {
      await context.close();
      shutDown(served);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('the web app manifest parses and its icons (light and dark) load', async ({ page, request }) => {
  await page.goto('./');
  const href = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifestUrl = new URL(href!, page.url());
  const res = await request.get(manifestUrl.href);
  expect(res.ok()).toBe(true);
  type Icon = { src: string; sizes: string; type: string; purpose?: string };
  const manifest = JSON.parse(await res.text()) as {
    name: string;
    start_url: string;
    display: string;
    icons: Icon[];
    user_preferences: { color_scheme_dark: { icons: Icon[] } };
  };
  expect(manifest.name).toBe('Attention Notebook');
  expect(manifest.display).toBe('standalone');
  expect(new URL(manifest.start_url, manifestUrl).href).toBe(new URL('./', page.url()).href);
  const icons = [...manifest.icons, ...manifest.user_preferences.color_scheme_dark.icons];
  expect(icons.some((i) => i.sizes === '512x512' && i.purpose === 'maskable')).toBe(true);
  expect(manifest.user_preferences.color_scheme_dark.icons.length).toBeGreaterThanOrEqual(2);
  for (const icon of icons) {
    const r = await request.get(new URL(icon.src, manifestUrl).href);
    expect(r.ok(), icon.src).toBe(true);
    expect(r.headers()['content-type'], icon.src).toContain(icon.type);
    const body = await r.body();
    if (icon.type === 'image/png') {
      // A PNG's IHDR holds its width and height at bytes 16–23: they must match the declared size.
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
    } else {
      expect(body.toString('utf8'), icon.src).toContain('<svg');
    }
  }
});
