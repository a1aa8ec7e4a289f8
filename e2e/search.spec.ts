import { test, expect } from './fixtures';

const search = async (page: import('@playwright/test').Page, q: string) => {
  await page.goto(`./search/?q=${encodeURIComponent(q)}`);
  await expect(page.getByRole('status')).toHaveText(/match|Nothing/);
};

test('snippets show prose and readable math, never raw LaTeX or code listings', async ({ page }) => {
  for (const q of ['softmax', 'frac', 'const', 'attention weights']) {
    await search(page, q);
    const snippets = (await page.locator('.results li p').allTextContents()).join('\n');
    expect(snippets, q).not.toMatch(/\\frac|\\operatorname|\\hat|\\sum|\\begin/);
    expect(snippets, q).not.toMatch(/\bconst \w+ =|=> |export (interface|function)|import \{|def __init__/);
  }
  await search(page, 'softmax');
  await expect(page.getByRole('status')).toHaveText(/\d+ pages match “softmax”/);
  await expect(page.locator('.results li p').first()).toContainText('softmax');
});

test('a word that is nowhere in the site matches nothing', async ({ page }) => {
  await search(page, 'xyzzyq');
  await expect(page.getByRole('status')).toHaveText(
    'Nothing matches “xyzzyq”. Try a shorter or different word.',
  );
  await expect(page.locator('.results li')).toHaveCount(0);
  await search(page, 'attention xyzzyq');
  await expect(page.locator('.results li')).toHaveCount(0);
});

test('opening a result lands on the match, highlighted', async ({ page }) => {
  await search(page, 'FlashAttention');
  const link = page.getByRole('link', { name: 'What comes next' });
  await expect(link).toHaveAttribute('href', /highlight=flashattention#where-to-go-next/i);
  await link.click();
  await expect(page).toHaveURL(/what-comes-next/);
  const hit = page.locator('article mark.search-hit-first');
  await expect(hit).toHaveText(/^FlashAttention/i);
  await expect(hit).toBeInViewport();
  expect(await page.evaluate(() => scrollY)).toBeGreaterThan(200);
});
