import { test, expect } from './fixtures';
import { openWidget } from './widget-helpers';
import type { Locator, Page } from '@playwright/test';
import { plateauSchedule } from '../src/lib/schedulers/plateau';
import { stepLRSchedule } from '../src/lib/schedulers/step';
import {
  CHAPTER_RUN,
  explain,
  fmtLr,
  liveRun,
  type PlateauSettings,
} from '../components/widgets/scheduler-simulator/model';

const PAGE = './chapters/optimization-and-schedulers/';

function open(page: Page): Promise<Locator> {
  return openWidget(page, PAGE, 'scheduler-simulator', (w) =>
    expect(w.locator('table.epochs tbody tr')).toHaveCount(50),
  );
}

async function column(w: Locator, i: number): Promise<string[]> {
  return w.locator(`table.epochs tbody tr > :nth-child(${i})`).allTextContents();
}

const DEFAULTS: PlateauSettings = {
  mode: 'min',
  factor: 0.5,
  patience: 3,
  threshold: 1e-4,
  thresholdMode: 'rel',
  cooldown: 0,
  minLr: 0,
};

test('the live run: losses and learning rates equal a src/lib training run driven by plateauStep', async ({
  page,
}) => {
  const w = await open(page);
  const run = liveRun(0.1, 50, { kind: 'plateau', settings: DEFAULTS });
  expect(await column(w, 2)).toEqual(run.val.map((v) => String(Number(v.toPrecision(6)))));
  expect(await column(w, 5)).toEqual(run.lrs.map(fmtLr));
  const events = run.plateau!.filter((e) => e.reduced).map((e) => explain(e, DEFAULTS));
  expect(events.length).toBeGreaterThan(2);
  await expect(w.locator('ol.events li')).toHaveText(events);
  // the lrs are exactly what torch's scheduler would set for that loss sequence
  expect(run.plateau!.map((e) => e.lrAfter)).toEqual(
    plateauSchedule([0.1], run.val, DEFAULTS).map((l) => l[0]),
  );

  // a larger patience reduces less often, and the run itself changes
  await w.getByLabel('patience').fill('10');
  const run10 = liveRun(0.1, 50, { kind: 'plateau', settings: { ...DEFAULTS, patience: 10 } });
  await expect(w.locator('ol.events li')).toHaveCount(
    Math.max(1, run10.plateau!.filter((e) => e.reduced).length),
  );
  expect(await column(w, 2)).toEqual(run10.val.map((v) => String(Number(v.toPrecision(6)))));
});

test('the chapter’s example reproduces its table, with cooldown and min_lr', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel('Loss curve').selectOption('chapter');
  await expect(w.locator('table.epochs tbody tr')).toHaveCount(16);
  await expect(w.getByLabel('patience')).toHaveValue('2');
  expect(await column(w, 6)).toEqual(
    plateauSchedule([0.1], CHAPTER_RUN.metrics, CHAPTER_RUN.settings).map(
      (l, i) => fmtLr(l[0]) + ([6, 11, 15].includes(i) ? ' ↓' : ''),
    ),
  );
  await expect(w.locator('table.epochs tbody tr').nth(7).locator('td').nth(2)).toHaveText('0 (cooldown)');
  await expect(w.locator('ol.events li')).toHaveText([
    'epoch 7: no improvement for 3 epochs > patience 2 → lr 0.1 → 0.01; cooldown for 1 epoch',
    'epoch 12: no improvement for 3 epochs > patience 2 → lr 0.01 → 0.001; cooldown for 1 epoch',
    'epoch 16: no improvement for 3 epochs > patience 2 → lr 0.001 → 0.0001; cooldown for 1 epoch',
  ]);
  // threshold_mode abs with a large threshold: nothing after epoch 1 counts as an improvement
  await w.getByLabel('threshold_mode').selectOption('abs');
  await w.getByLabel('threshold', { exact: true }).fill('1');
  await expect(w.locator('ol.events li').first()).toHaveText(
    'epoch 4: no improvement for 3 epochs > patience 2 → lr 0.1 → 0.01; cooldown for 1 epoch',
  );
});

test('typed values, StepLR and cosine overlays', async ({ page }) => {
  const w = await open(page);
  await w.getByLabel('Loss curve').selectOption('typed');
  await w.getByRole('textbox', { name: /Validation loss per epoch/ }).fill('1, 0.9, 0.95, 0.96, 0.97, 0.98');
  await w.getByLabel('patience').fill('1');
  await w.getByLabel('factor').fill('0.1');
  await expect(w.locator('ol.events li').first()).toHaveText(
    'epoch 4: no improvement for 2 epochs > patience 1 → lr 0.1 → 0.01',
  );
  await w.getByLabel('StepLR').check();
  await w.getByLabel('step_size').fill('2');
  await expect(w.locator('svg.chart path.lr.step')).toHaveCount(1);
  await w.getByLabel('cosine with warmup').check();
  await w.getByLabel('warmup epochs').fill('2');
  await expect(w.locator('svg.chart path.lr.cosine')).toHaveCount(1);
  // live mode trains with the comparison schedules too
  await w.getByLabel('Loss curve').selectOption('live');
  await w.getByLabel('Epochs', { exact: true }).fill('20');
  await expect(w.locator('svg.chart path.metric.step')).toHaveCount(1);
  const st = liveRun(0.1, 20, { kind: 'step', stepSize: 2, gamma: 0.5 });
  expect(st.lrs).toEqual(stepLRSchedule(0.1, 20, { stepSize: 2, gamma: 0.5 }));
  await expect(w.locator('.summary')).toContainText(
    `StepLR: final loss ${Number(st.val[19].toPrecision(6))}.`,
  );
});

test('an invalid Epochs value clears the run; cosine’s warm-up does not set the loss axis', async ({
  page,
}) => {
  const w = await open(page);
  await w.getByLabel('Epochs', { exact: true }).fill('500');
  await expect(w.getByRole('alert')).toContainText('Epochs must be a whole number');
  // the last valid run must not stay on screen under the error
  await expect(w.locator('svg.chart path.metric')).toHaveCount(0);
  await expect(w.locator('svg.chart')).toContainText('No run to draw');
  await expect(w.locator('table.epochs tbody tr')).toHaveCount(0);
  await expect(w.locator('.summary')).toHaveText('No run: fix the highlighted field.');
  await w.getByLabel('Epochs', { exact: true }).fill('50');
  await expect(w.locator('table.epochs tbody tr')).toHaveCount(50);
  // the y-axis follows the plateau run: every plateau point is drawn inside the top panel
  const before = await w.locator('svg.chart .tick').first().textContent();
  await w.getByLabel('cosine with warmup').check();
  await w.getByLabel('warmup epochs').fill('10');
  await expect(w.locator('svg.chart path.metric.cosine')).toHaveCount(1);
  await expect(w.locator('.legend')).toContainText('cosine with warmup filled dot');
  expect(await w.locator('svg.chart .tick').first().textContent()).toBe(before);
});

test('a hidden invalid Epochs value blocks only the live mode that shows it', async ({ page }) => {
  const w = await open(page);
  const alert = w.getByRole('alert');
  const epochs = w.getByLabel('Epochs', { exact: true });
  await epochs.fill('500');
  await expect(alert).toContainText('Epochs must be a whole number');
  // the chapter's example and typed values have their own length: the hidden Epochs field is not theirs
  await w.getByLabel('Loss curve').selectOption('chapter');
  await expect(epochs).toBeHidden();
  await expect(alert).toBeHidden();
  await expect(w.locator('table.epochs tbody tr')).toHaveCount(16);
  await expect(w.getByLabel('min_lr')).toHaveAttribute('aria-invalid', 'false');
  await w.getByLabel('Loss curve').selectOption('typed');
  await w.getByRole('textbox', { name: /Validation loss per epoch/ }).fill('1, 0.9, 0.95');
  await expect(alert).toBeHidden();
  await expect(w.locator('table.epochs tbody tr')).toHaveCount(3);
  // cosine's warm-up is checked against the typed run's length, not the hidden Epochs
  await w.getByLabel('cosine with warmup').check();
  await w.getByLabel('warmup epochs').fill('2');
  await expect(w.locator('svg.chart path.lr.cosine')).toHaveCount(1);
  // back in live mode the field shows again, and so does its error
  await w.getByLabel('Loss curve').selectOption('live');
  await expect(alert).toContainText('Epochs must be a whole number');
  await expect(epochs).toHaveAttribute('aria-invalid', 'true');
  await expect(w.locator('table.epochs tbody tr')).toHaveCount(0);
});

test('bad input and divergence get clear inline messages', async ({ page }) => {
  const w = await open(page);
  const alert = w.getByRole('alert');
  await w.getByLabel('factor').fill('1.5');
  await expect(alert).toHaveText('factor must be a number from 0 and below 1 (got “1.5”).');
  await expect(w.getByLabel('factor')).toHaveAttribute('aria-invalid', 'true');
  await w.getByLabel('factor').fill('0.5');
  await w.getByLabel('patience').fill('2.5');
  await expect(alert).toContainText('patience must be a whole number');
  await w.getByLabel('patience').fill('');
  await expect(alert).toHaveText('patience must be a whole number from 0 to 100 (it is empty).');
  await w.getByLabel('patience').fill('3');
  await expect(alert).toBeHidden();
  await w.getByLabel('Loss curve').selectOption('typed');
  await w.getByRole('textbox', { name: /Validation loss per epoch/ }).fill('');
  await expect(alert).toHaveText(
    'Validation loss per epoch: enter at least two numbers, e.g. 2.1, 1.7, 1.5.',
  );
  await w.getByRole('textbox', { name: /Validation loss per epoch/ }).fill('1, NaN');
  await expect(alert).toHaveText('Validation loss per epoch: entry 2 (“NaN”) is not a finite number.');
  await w.getByLabel('Loss curve').selectOption('live');
  await w.getByLabel('Initial lr').fill('1');
  await expect(alert).toContainText('The training run diverged in epoch');
  await expect(alert).toContainText('Try 0.1 or less');
});
