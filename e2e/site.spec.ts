import { test, expect, setTheme } from './fixtures';

test('home lists the chapters with summaries and links into them', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { level: 1, name: 'Attention Notebook' })).toBeVisible();
  const list = page.locator('.chapter-list');
  await expect(list.getByRole('link').first()).toBeVisible();
  await list.getByRole('link', { name: /Start here/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Start here/);
});

test('a chapter has a sidebar, an on-page table of contents, math, highlighted code and a check-yourself list', async ({
  page,
}) => {
  await page.goto('./chapters/start-here/');
  const sidebar = page.getByRole('navigation', { name: 'Chapters' });
  await expect(sidebar.getByRole('link', { name: /Start here/ })).toHaveAttribute('aria-current', 'page');
  const toc = page.getByRole('navigation', { name: 'On this page' });
  await expect(toc.getByRole('link', { name: 'Math you can read' })).toBeVisible();
  await expect(page.locator('.katex').first()).toBeVisible();
  await expect(page.locator('.katex-display')).toHaveCount(1);
  await expect(page.locator('pre.astro-code').first()).toBeVisible();
  expect(await page.locator('pre.astro-code span[style*="--shiki-dark"]').count()).toBeGreaterThan(5);
  await page.getByText('What does softmax do to a vector of scores?').click();
  await expect(page.getByText(/sum to 1/).first()).toBeVisible();
});

test('headings on a chapter descend without skipping a level', async ({ page }) => {
  await page.goto('./chapters/start-here/');
  const levels = await page
    .locator('main h1, main h2, main h3, main h4')
    .evaluateAll((hs) => hs.map((h) => Number(h.tagName.slice(1))));
  expect(levels[0]).toBe(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i] - levels[i - 1]).toBeLessThanOrEqual(1);
});

test('the softmax widget recomputes, sums to one, and explains bad input', async ({ page }) => {
  await page.goto('./chapters/start-here/');
  const widget = page.locator('softmax-mini');
  const logits = widget.getByLabel('Logits (comma-separated)');
  await logits.fill('1000, 1000');
  const cells = widget.locator('tbody tr td:nth-child(3)');
  await expect(cells).toHaveText(['0.5000', '0.5000']);
  await logits.fill('2, 1, 0.1');
  await expect(cells).toHaveText(['0.6590', '0.2424', '0.0986']);
  await expect(widget.getByText('Sum of probabilities: 1.000000')).toBeVisible();
  await logits.fill('2, <script>alert(1)</script>');
  await expect(widget.getByRole('alert')).toContainText('Entry 2');
  await expect(widget.getByRole('alert')).toContainText('<script>');
  await logits.fill('');
  await expect(widget.getByRole('alert')).toHaveText(/at least one number/);
  await logits.fill('1, 2');
  await widget.getByLabel('Temperature').fill('0');
  await expect(widget.getByRole('alert')).toHaveText(/Temperature must be/);
});

test('the theme toggle switches dark mode and survives a reload', async ({ page }) => {
  await page.goto('./chapters/start-here/');
  await setTheme(page, 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(bg);
  await setTheme(page, 'light');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('the theme follows the system when the learner has not chosen one', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('./');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(21, 23, 28)');
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  await context.close();
});

test('reading progress is remembered and the home page offers to continue', async ({ page }) => {
  await page.goto('./chapters/start-here/');
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect(page.getByRole('progressbar', { name: 'Reading progress' })).toHaveAttribute(
    'aria-valuenow',
    '100',
  );
  await page.waitForTimeout(600); // the marker saves 400 ms after scrolling stops
  await page.goto('./');
  await expect(page.getByRole('link', { name: /Continue where you left off: Start here/ })).toBeVisible();
});

test.describe('unknown URL', () => {
  test.use({ expectedConsoleErrors: [/status of 404/] });
  test('an unknown URL shows a helpful 404 with the chapter list', async ({ page }) => {
    const response = await page.goto('./no-such-page/');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/isn’t in the notebook/);
    await expect(page.getByRole('link', { name: /Start here/ })).toBeVisible();
  });
});

test('search finds a chapter by a word in its text', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('searchbox', { name: 'Search the course' }).fill('temperature');
  await page.getByRole('searchbox', { name: 'Search the course' }).press('Enter');
  await expect(page).toHaveURL(/search\/\?q=temperature/);
  await expect(page.getByRole('status')).toHaveText(/match “temperature”/);
  // the chapter about temperature ranks first (widgets' labels are no longer indexed)
  await expect(page.locator('.results a').first()).toHaveText(/Sampling and quantization/);
  await page.getByLabel('Words to find').fill('<img src=x onerror=alert(1)>');
  await expect(page.getByRole('status')).toContainText('<img src=x');
});

test('a chapter is readable at 360 px without horizontal scrolling', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto('./chapters/start-here/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole('heading', { level: 1 })).toBeInViewport();
  await context.close();
});

test('with JavaScript disabled a chapter still reads fine', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('./chapters/start-here/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Start here/);
  await expect(page.locator('.katex').first()).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Chapters' }).getByRole('link').first()).toBeVisible();
  await context.close();
});

test('the site loads nothing from another origin', async ({ page }) => {
  const foreign: string[] = [];
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && !u.protocol.startsWith('data'))
      foreign.push(req.url());
  });
  for (const path of ['./', './chapters/start-here/', './search/?q=softmax']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
  }
  expect(foreign).toEqual([]);
  const csp = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toContain("'unsafe-eval'");
});
