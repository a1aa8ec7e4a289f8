import { test, expect } from './fixtures';
import { expectAxeClean } from './widget-helpers';

/** Every figure of the course and the chapter it is drawn in. */
const FIGURES: [chapter: string, figure: string, name: RegExp][] = [
  ['training-and-inference', 'training-step-graph', /computation graph of one training step/i],
  ['dropout-and-activations', 'activation-curves', /activation functions and their derivatives/i],
  ['attention', 'attention-path', /one query’s path through attention/i],
  ['transformer-block', 'multi-head', /multi-head attention/i],
  ['transformer-block', 'pre-post-ln', /post-LN and pre-LN/i],
  ['normalization-and-regularization', 'norm-axes', /batch norm and layer norm/i],
  ['optimization-and-schedulers', 'loss-curves', /train and validation loss of a recorded run/i],
  ['capstone', 'loss-curves', /train and validation loss of a recorded run/i],
];

test.describe('figures', () => {
  test.setTimeout(120_000);
  for (const [chapter, figure, name] of FIGURES) {
    test(`${chapter}: the ${figure} figure renders, has a text alternative and passes axe in both themes`, async ({
      page,
    }) => {
      await page.goto(`./chapters/${chapter}/`);
      const frame = page.locator(`[data-figure="${figure}"]`);
      await frame.scrollIntoViewIfNeeded();
      const img = frame.getByRole('img', { name });
      await expect(img).toBeVisible();
      // The description is the full text alternative: long, and it names numbers where the figure has them.
      const description = await img.evaluate((svg) => {
        const ids = (svg.getAttribute('aria-labelledby') ?? '').split(' ');
        return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      });
      expect(description.length).toBeGreaterThan(150);
      const box = await img.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(await img.locator('path, rect, circle, line').count()).toBeGreaterThan(5);
      await expect(frame.locator('figcaption')).not.toBeEmpty();
      await expectAxeClean(page, `[data-figure="${figure}"]`);
    });
  }

  test('the attention-path figure shows the worked example’s numbers for “apples”', async ({ page }) => {
    await page.goto('./chapters/attention/');
    const img = page.locator('[data-figure="attention-path"]').getByRole('img');
    await expect(img).toContainText('0.576');
    await expect(img).toContainText('(1.284, 0.576)');
    await expect(img).toContainText('−∞');
  });

  test.describe('at 360 px', () => {
    test.use({ viewport: { width: 360, height: 740 } });
    test('every figure fits the screen (wide ones scroll inside their own frame)', async ({ page }) => {
      for (const [chapter, figure] of FIGURES) {
        await page.goto(`./chapters/${chapter}/`);
        const box = await page.locator(`[data-figure="${figure}"]`).boundingBox();
        expect(box, figure).not.toBeNull();
        expect(box!.x + box!.width, figure).toBeLessThanOrEqual(360);
      }
    });
  });
});
