import { test, expect } from './fixtures';
import { crossAttentionDemo } from '../components/widgets/cross-attention/model';

test('the cross-attention widget shows src/lib’s T × S weights and explains bad input', async ({ page }) => {
  await page.goto('./chapters/attention/');
  const widget = page.locator('cross-attention-mini');
  await widget.getByLabel('Target sentence (queries)').fill('the cat sat');
  await widget.getByLabel('Source sentence (keys and values)').fill('le chat est assis');
  await widget.getByLabel('Seed').fill('7');
  const expected = crossAttentionDemo('the cat sat', 'le chat est assis', 7);
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  const rows = widget.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  for (const [i, row] of expected.demo.stages.weights.entries()) {
    const cells = rows.nth(i).locator('td');
    await expect(cells).toHaveText([...row.map((w) => w.toFixed(4)), '1.000000']);
  }
  await expect(widget.getByText('Weights are 3 × 4 (T × S).', { exact: false })).toBeVisible();

  await widget.getByLabel('Source sentence (keys and values)').fill('<img src=x onerror=alert(1)>');
  await expect(widget.locator('thead th').nth(1)).toHaveText('img');
  await widget.getByLabel('Target sentence (queries)').fill('');
  await expect(widget.getByRole('alert')).toHaveText('Target sentence: type at least one word.');
  await widget.getByLabel('Target sentence (queries)').fill('ok');
  await widget.getByLabel('Seed').fill('-3');
  await expect(widget.getByRole('alert')).toHaveText(/Seed must be a whole number/);
});
