import { test, expect, setTheme } from './fixtures';
import { cell, run, typeCode } from './cells-helpers';
import { axeViolations } from './widget-helpers';

const PAGE = 'chapters/start-here/';
const SOFTMAX = 'softmax from lib, at three temperatures';

test.describe('notebook cells', () => {
  test('the code is highlighted before any editor loads; Run shows logs, the final value and a plot', async ({
    page,
  }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await expect(c.locator('pre.astro-code')).toContainText("import { softmax } from 'lib'");
    await expect(c.locator('.cm-editor')).toHaveCount(0);
    const out = await run(c);
    await expect(out).toContainText('weights [0.659, 0.2424, 0.09857]');
    await expect(out).toContainText('→ {');
    await expect(out.locator('svg[role="img"]')).toHaveAttribute('aria-label', /softmax weights per logit/);
    await expect(c.getByRole('status').last()).toContainText(/Ran in/);
  });

  test('edit and run; a nested array prints as a table; an error names its line', async ({ page }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await typeCode(c, "const m = [[1, 2], [3, 4]];\nconsole.log('sum', 1 + 2);\nm");
    let out = await run(c);
    await expect(out.locator('pre')).toContainText(['sum 3']);
    await expect(out.getByRole('table')).toContainText('2 × 2 array');
    await expect(out.getByRole('row').nth(2)).toHaveText('134');
    await typeCode(c, 'const a = 1;\nconst b: number = 2;\nconst o: any = null;\nconsole.log(o.field);');
    out = await run(c);
    await expect(out).toContainText('TypeError at line 4');
    await typeCode(c, 'const a = 1;\nconst b = ;');
    out = await run(c);
    await expect(out).toContainText('SyntaxError at line 2');
  });

  test('an infinite loop is stopped by the time limit, and the next run works', async ({ page }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await typeCode(c, 'while (true) {}');
    await c.getByLabel('Time limit (s)').fill('1');
    const out = await run(c);
    await expect(c.locator('[data-status]')).toContainText('longer than the 1 s time limit');
    await typeCode(c, '6 * 7');
    await run(c);
    await expect(out).toContainText('→ 42');
  });

  test('output is cut after 200 items, with a notice', async ({ page }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await typeCode(c, 'for (let i = 0; i < 5000; i++) console.log(i);');
    const out = await run(c);
    await expect(out).toContainText('Output cut after 200 items.');
    await expect(out.locator('pre')).toHaveCount(200);
  });

  test('Stop ends a running cell', async ({ page }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await typeCode(c, 'let x = 0;\nwhile (true) { x++; }');
    await c.getByRole('button', { name: 'Run' }).click();
    await expect(c.getByRole('button', { name: 'Stop' })).toBeEnabled({ timeout: 30_000 });
    await c.getByRole('button', { name: 'Stop' }).click();
    await expect(c.locator('[data-status]')).toContainText('Stopped. The sandbox was restarted');
  });

  test.describe('isolation', () => {
    // Chromium reports the sandbox's blocked fetch (a CSP violation inside the worker) as a page error
    // without a message; it is the refusal this test provokes.
    test.use({ expectedConsoleErrors: [/^pageerror: undefined$/] });

    test('code cannot read the site storage, fetch another origin, or inject HTML', async ({ page }) => {
      await page.goto(PAGE);
      await page.evaluate(async () => {
        localStorage.setItem('an-secret', 'site-secret');
        await new Promise((resolve) => {
          const r = indexedDB.open('an-secret-db');
          r.onsuccess = resolve;
        });
      });
      const c = cell(page, SOFTMAX);
      await typeCode(
        c,
        [
          "console.log('localStorage:', typeof localStorage);",
          "console.log('document:', typeof document);",
          'let idb = "none";',
          'try { const dbs = await indexedDB.databases(); idb = JSON.stringify(dbs); } catch (e) { idb = "blocked " + e.name; }',
          "console.log('indexedDB:', idb);",
          'let net = "none";',
          "try { await fetch('https://example.com/'); net = 'FETCHED'; } catch (e) { net = 'blocked'; }",
          "console.log('fetch other origin:', net);",
          'let own = "none";',
          "try { await fetch('/'); own = 'FETCHED'; } catch (e) { own = 'blocked'; }",
          "console.log('fetch own origin:', own);",
          'console.log(\'<img src=x id="injected" onerror="alert(1)"><b>bold</b>\');',
        ].join('\n'),
      );
      const out = await run(c);
      await expect(out).toContainText('localStorage: undefined');
      await expect(out).toContainText('document: undefined');
      await expect(out).toContainText(/indexedDB: (blocked|\[\])/);
      await expect(out).not.toContainText('an-secret-db');
      await expect(out).toContainText('fetch other origin: blocked');
      await expect(out).toContainText('fetch own origin: blocked');
      await expect(out).toContainText('<img src=x id="injected"');
      await expect(page.locator('#injected')).toHaveCount(0);
      await expect(out.locator('b')).toHaveCount(0);
    });
  });

  test('edits persist over a reload; Reset restores the original', async ({ page }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await typeCode(c, '// my edit\n1 + 1');
    await page.waitForTimeout(600); // saving is debounced by 250 ms
    await page.reload();
    await expect(c.locator('.cm-content')).toContainText('// my edit', { timeout: 30_000 });
    await expect(c.locator('[data-notice]')).toContainText('Your edits from last time are restored');
    await c.getByRole('button', { name: 'Reset' }).click();
    await expect(c.locator('.cm-content')).toContainText("import { softmax } from 'lib'");
    await page.reload();
    await expect(c.locator('pre.astro-code')).toContainText("import { softmax } from 'lib'");
    await expect(c.locator('.cm-editor')).toHaveCount(0);
  });

  test('Copy link puts the code in the fragment; the link opens with it and a way back', async ({
    page,
    context,
    browser,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await typeCode(c, "// shared version\n'shared ' + 40");
    await c.getByRole('button', { name: 'Copy link' }).click();
    await expect(c.locator('[data-status]')).toContainText('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/#c\.softmax=1z?\.[\w-]+$/);
    // The link is opened by someone else: a fresh browser context without the sender's saved edits.
    const other = await (await browser.newContext()).newPage();
    await other.goto(link);
    const d = cell(other, SOFTMAX);
    await expect(d.locator('.cm-content')).toContainText('// shared version', { timeout: 30_000 });
    await expect(d.locator('[data-notice]')).toContainText('code from the link');
    const out = await run(d);
    await expect(out).toContainText('→ "shared 40"');
    await d.getByRole('button', { name: 'Back to the original' }).click();
    await expect(d.locator('.cm-content')).toContainText("import { softmax } from 'lib'");
    expect(other.url()).not.toContain('#c.softmax');
  });

  test('axe finds nothing serious in light and dark, with output, a plot and exercise feedback shown', async ({
    page,
  }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await run(c);
    const ex = cell(page, 'Exercise: Write softmax');
    await run(ex);
    await expect(ex.getByRole('log')).toContainText('Not yet');
    await c.locator('[data-code-host]').click();
    await expect(c.locator('.cm-editor')).toBeVisible();
    for (const theme of ['light', 'dark'] as const) {
      await setTheme(page, theme);
      expect(await axeViolations(page)).toEqual([]);
      await c.screenshot({ path: `test-results/shots/cell-${theme}.png` });
      await ex.screenshot({ path: `test-results/shots/exercise-${theme}.png` });
    }
  });

  test('keyboard: Ctrl+Enter runs, Esc leaves the editor and Tab moves on', async ({ page }) => {
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    await typeCode(c, '2 + 3');
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(c.getByRole('log')).toContainText('→ 5', { timeout: 60_000 });
    await page.keyboard.press('Escape');
    await expect(c.getByRole('button', { name: 'Run' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(c.getByRole('button', { name: 'Stop' })).not.toBeFocused();
    await expect(c.locator('.cm-content')).not.toBeFocused();
  });

  test('works at 360 px', async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto(PAGE);
    const c = cell(page, SOFTMAX);
    const out = await run(c);
    await expect(out).toContainText('weights');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await c.screenshot({ path: 'test-results/shots/cell-360.png' });
  });
});
