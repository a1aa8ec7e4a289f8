/**
 * Code blocks follow the theme from one rule (global.css picks --shiki-light or --shiki-dark with
 * light-dark()): the toggle, the system preference and print all give the right theme's colours.
 */
import type { Page } from '@playwright/test';
import { expect, setTheme, test } from './fixtures';

/** The first highlighted code block's background and a keyword token's colour, as computed and as shiki wrote them. */
async function codeColours(page: Page) {
  return page
    .locator('main pre.astro-code')
    .first()
    .evaluate((pre) => {
      const probe = document.createElement('div');
      document.body.append(probe);
      /** A CSS colour as the browser computes it (so '#fff' and 'rgb(255, 255, 255)' compare equal). */
      const computed = (c: string) => {
        probe.style.color = c;
        return getComputedStyle(probe).color;
      };
      const token = [...pre.querySelectorAll<HTMLElement>('span[style*="--shiki-dark"]')].find(
        (s) => s.style.getPropertyValue('--shiki-light') !== s.style.getPropertyValue('--shiki-dark'),
      )!;
      const out = {
        bg: getComputedStyle(pre).backgroundColor,
        lightBg: computed(pre.style.getPropertyValue('--shiki-light-bg')),
        darkBg: computed(pre.style.getPropertyValue('--shiki-dark-bg')),
        fg: getComputedStyle(token).color,
        light: computed(token.style.getPropertyValue('--shiki-light')),
        dark: computed(token.style.getPropertyValue('--shiki-dark')),
      };
      probe.remove();
      return out;
    });
}

test('code blocks take the light theme, then the dark one from the toggle', async ({ page }) => {
  await page.goto('./chapters/start-here/');
  await setTheme(page, 'light');
  let c = await codeColours(page);
  expect(c.light).not.toBe(c.dark);
  expect([c.fg, c.bg]).toEqual([c.light, c.lightBg]);
  const pre = page.locator('main pre.astro-code').first();
  await pre.screenshot({ path: test.info().outputPath('code-light.png') });
  await setTheme(page, 'dark');
  c = await codeColours(page);
  expect([c.fg, c.bg]).toEqual([c.dark, c.darkBg]);
  await pre.screenshot({ path: test.info().outputPath('code-dark.png') });
  await page.setViewportSize({ width: 360, height: 800 });
  await page
    .locator('main pre.astro-code')
    .nth(1)
    .screenshot({ path: test.info().outputPath('code-dark-360.png') });
});

test('code blocks follow a dark system preference, and print in the light theme', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto('./chapters/start-here/');
  let c = await codeColours(page);
  expect([c.fg, c.bg]).toEqual([c.dark, c.darkBg]);
  await page.emulateMedia({ media: 'print' });
  c = await codeColours(page);
  expect([c.fg, c.bg]).toEqual([c.light, c.lightBg]);
  await context.close();
});
