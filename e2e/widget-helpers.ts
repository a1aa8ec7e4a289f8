import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, setTheme } from './fixtures';

/** Open `path`, scroll its `tag` widget into view and wait until `ready` holds; returns the widget. */
export async function openWidget(
  page: Page,
  path: string,
  tag: string,
  ready: (widget: Locator) => Promise<void>,
): Promise<Locator> {
  await page.goto(path);
  const widget = page.locator(tag);
  await widget.scrollIntoViewIfNeeded();
  await ready(widget);
  return widget;
}

/**
 * axe on the page, or on the widget `selector` alone: its serious and critical violations, one line each
 * (rule, impact, first nodes).
 */
export async function axeViolations(page: Page, selector?: string): Promise<string[]> {
  const axe = new AxeBuilder({ page });
  const results = await (selector ? axe.include(selector) : axe).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(' | ')}`,
    );
}

/** axe on the rendered widget only, in light and dark mode: no serious or critical violations. */
export async function expectAxeClean(page: Page, selector: string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme);
    const bad = (await axeViolations(page, selector)).map((line) => `${theme}: ${line}`);
    expect(bad).toEqual([]);
  }
}

/**
 * Remove the widget `tag` from the page and count the animation frames anything requests in the next
 * `ms` milliseconds: a widget removed while playing must leave no loop running (expect 0).
 */
export function framesAfterRemoving(page: Page, tag: string, ms: number): Promise<number> {
  return page.evaluate(
    async ([tag, ms]) => {
      let count = 0;
      const raf = window.requestAnimationFrame.bind(window);
      window.requestAnimationFrame = (cb) => {
        count++;
        return raf(cb);
      };
      document.querySelector(tag)?.remove();
      await new Promise((r) => setTimeout(r, ms));
      return count;
    },
    [tag, ms] as const,
  );
}

/**
 * Type each value into `field` in turn, as a learner correcting it, and check `alert` after each: it
 * contains the `want` text, or for 'hidden' / 'shown' is hidden / visible.
 */
export async function expectAlertsAfter(
  field: Locator,
  alert: Locator,
  steps: [value: string, want: string][],
): Promise<void> {
  for (const [value, want] of steps) {
    await field.fill(value);
    if (want === 'hidden') await expect(alert).toBeHidden();
    else if (want === 'shown') await expect(alert).toBeVisible();
    else await expect(alert).toContainText(want);
  }
}
