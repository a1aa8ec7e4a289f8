import { test, expect } from './fixtures';
import { builtPages } from './pages';

/** Elements carrying `hidden` that still take up space, and disabled buttons that look enabled. */
const offenders = () =>
  [...document.querySelectorAll<HTMLElement>('[hidden]')]
    .filter((el) => el.getAttribute('hidden') !== 'until-found' && getComputedStyle(el).display !== 'none')
    .map((el) => `hidden but shown: <${el.localName} class="${el.className}">`)
    .concat(
      [...document.querySelectorAll<HTMLButtonElement>('button:disabled')]
        .filter((b) => {
          const s = getComputedStyle(b);
          return s.cursor === 'pointer' || Number(s.opacity) > 0.6;
        })
        .map((b) => `disabled but looks enabled: “${b.textContent?.trim()}”`),
    );

test('every [hidden] element is hidden and every disabled button looks disabled, on every page', async ({
  page,
}) => {
  test.setTimeout(180_000);
  for (const path of builtPages()) {
    await page.goto(`./${path}`);
    await page.waitForLoadState('load');
    expect(await page.evaluate(offenders), path).toEqual([]);
  }
});

test('the training cell: Brown corpus button hidden and unreachable; Pause, Resume, Stop look disabled', async ({
  page,
}) => {
  await page.goto('./chapters/capstone/');
  const cell = page.locator('training-cell');
  await expect(cell.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
  const brown = cell.getByRole('button', { name: 'Use the Brown corpus' });
  await expect(brown).toBeHidden();
  for (const name of ['Pause', 'Stop']) {
    const b = cell.getByRole('button', { name, exact: true });
    await expect(b).toBeDisabled();
    await expect(b).toHaveCSS('cursor', 'not-allowed');
  }
  // Tab from the file input goes past where the hidden button sits
  await cell.getByLabel(/Train on your own text file/).focus();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).not.toBe(
    'Use the Brown corpus',
  );
  expect(await page.evaluate(offenders)).toEqual([]);
});
