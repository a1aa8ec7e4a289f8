import { test, expect } from './fixtures';

test('the table of contents and the introduction link to the training cell', async ({ page }) => {
  await page.goto('./chapters/capstone/');
  const toc = page.getByRole('navigation', { name: /On this page/i });
  await expect(toc.getByRole('link', { name: /training cell/i })).toHaveAttribute(
    'href',
    '#the-training-cell-the-same-model-in-your-browser',
  );
  const intro = page.locator('article > p').filter({ hasText: 'This chapter reads it top to bottom' });
  await intro.getByRole('link', { name: 'trains in your browser' }).click();
  await expect(page.getByRole('heading', { name: /The training cell: the same model/ })).toBeInViewport();
  expect(await page.evaluate(() => scrollY)).toBeGreaterThan(5000);
});
