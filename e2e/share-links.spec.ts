import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { encodeState } from '../src/site/fragment-state';

// Share links: every widget's state goes into the URL fragment and comes back from a copied link.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

/** Every form control of the widget by name: its text, or for a checkbox/radio whether it is checked. */
function controls(w: Locator): Promise<Record<string, string | boolean>> {
  return w.evaluate((host) => {
    const out: Record<string, string | boolean> = {};
    host.querySelectorAll<HTMLInputElement>('input[name], select[name], textarea[name]').forEach((c) => {
      if (c.type === 'radio') out[`${c.name}=${c.value}`] = c.checked;
      else out[c.name] = c.type === 'checkbox' ? c.checked : c.value;
    });
    return out;
  });
}

interface Case {
  tag: string;
  path: string;
  /** Resolves once the widget has computed its first result. */
  ready?: (w: Locator) => Promise<void>;
  /** Change controls (and steps) like a learner. */
  act: (w: Locator, page: Page) => Promise<void>;
  /** An output whose text (numbers) must be the same after opening the link. */
  output: string;
}

const dataReady = (w: Locator) => expect(w).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
const click = async (w: Locator, name: string | RegExp, times = 1) => {
  for (let i = 0; i < times; i++) await w.getByRole('button', { name }).first().click();
};

const CASES: Case[] = [
  {
    tag: 'softmax-mini',
    path: 'chapters/start-here/',
    act: async (w) => {
      await w.getByLabel('Logits (comma-separated)').fill('3, 1, -2, 0.5');
      await w.getByLabel('Temperature').fill('0.5');
    },
    output: 'tbody',
  },
  {
    tag: 'tokenizer-explorer',
    path: 'chapters/tokenization/',
    ready: dataReady,
    act: async (w) => {
      await w.getByLabel('Text to tokenize').fill('low lower lowest newer newest wider widest');
      await w.getByLabel('BPE merges', { exact: true }).fill('6');
      await dataReady(w);
      await click(w, 'Previous merge', 2);
    },
    output: '.step-value',
  },
  {
    tag: 'embedding-explorer',
    path: 'chapters/embeddings/',
    ready: dataReady,
    act: async (w) => {
      await w.getByRole('combobox', { name: /^Embeddings/ }).selectOption('random');
      await w.getByLabel('Seed', { exact: true }).fill('7');
      await w.getByLabel('Neighbours', { exact: true }).fill('3');
    },
    output: '.summary',
  },
  {
    tag: 'training-stepper',
    path: 'chapters/training-and-inference/',
    ready: (w) => expect(w.getByRole('button', { name: 'Run 10 steps' })).toBeEnabled(),
    act: async (w) => {
      await w.getByLabel('Learning rate').fill('0.05');
      await click(w, 'Run 10 steps');
      await click(w, /^Next phase/, 2);
    },
    output: 'table.params tbody',
  },
  {
    tag: 'activation-explorer',
    path: 'chapters/dropout-and-activations/',
    act: async (w) => {
      await w.getByRole('combobox', { name: 'Function' }).selectOption('tanh');
      await w.getByRole('spinbutton', { name: 'x', exact: true }).fill('1.25');
      await w.getByLabel('Show derivative f′(x)').uncheck();
      await w.getByRole('spinbutton', { name: 'Temperature' }).fill('2');
    },
    output: '.readout',
  },
  {
    tag: 'dropout-visualizer',
    path: 'chapters/dropout-and-activations/',
    act: async (w) => {
      await w.getByRole('spinbutton', { name: 'Dropout rate p' }).fill('0.3');
      await w.getByLabel('Mask seed').fill('9');
      await click(w, 'Draw next mask', 3);
    },
    output: '.summary',
  },
  {
    tag: 'cross-attention-mini',
    path: 'chapters/attention/',
    act: async (w) => {
      await w.getByLabel('Target sentence (queries)').fill('the cat sat');
      await w.getByLabel('Seed').fill('5');
    },
    output: 'tbody',
  },
  {
    tag: 'normalization-lab',
    path: 'chapters/normalization-and-regularization/',
    act: async (w) => {
      await w.getByLabel('Rows', { exact: true }).fill('6');
      await click(w, 'Generate data');
      await w.getByLabel('Batch size').fill('3');
      await click(w, /Training step on this batch/, 2);
      await w.getByLabel('or type λ').fill('0.01');
    },
    output: 'table.bn',
  },
  {
    tag: 'scheduler-simulator',
    path: 'chapters/optimization-and-schedulers/',
    act: async (w) => {
      await w.getByLabel('factor').fill('0.3');
      await w.getByLabel('patience').fill('2');
      await w.getByLabel('StepLR').check();
    },
    output: '.summary',
  },
  {
    tag: 'sampling-playground',
    path: 'chapters/sampling-and-quantization/',
    ready: dataReady,
    act: async (w) => {
      await w.getByLabel('Prompt').fill('the cat ');
      await w.getByLabel('Top-k').fill('5');
      await w.getByLabel('Seed').fill('11');
    },
    output: '.summary',
  },
  {
    tag: 'int8-quantization',
    path: 'chapters/sampling-and-quantization/',
    act: async (w) => {
      await w
        .getByLabel('Weights (one row per line, comma-separated)')
        .fill('1, -2, 0.5\n0.25, 0.125, -0.01');
      await w.getByLabel('Scale').selectOption('per-channel');
    },
    output: '.summary',
  },
  {
    tag: 'surface-fitting',
    path: 'chapters/learning-as-refinement/',
    act: async (w) => {
      await w.getByRole('combobox', { name: /^Target surface/ }).selectOption('saddle');
      await w.getByLabel('Learning rate').fill('0.3');
      await click(w, 'Step', 3);
    },
    output: '.status',
  },
  {
    tag: 'bucketing-lab',
    path: 'chapters/what-comes-next/',
    act: async (w) => {
      await w.getByLabel('Batch size').fill('8');
      await w.getByLabel('Seed').fill('42');
    },
    output: 'table.summary tbody',
  },
];

for (const c of CASES) {
  test(`${c.tag}: its state round-trips through a copied link`, async ({ page, context }) => {
    await page.goto(c.path);
    const w = page.locator(c.tag).first();
    await w.scrollIntoViewIfNeeded();
    await c.ready?.(w);
    const defaults = await controls(w);
    const historyBefore = await page.evaluate(() => history.length);
    await c.act(w, page);
    const changed = await controls(w);
    expect(changed).not.toEqual(defaults);
    const output = (await w.locator(c.output).first().innerText()).trim();
    expect(output).not.toBe('');

    // The address bar follows (replaceState: no history entry per edit).
    await expect.poll(() => page.url()).toContain(`#w.${c.tag}=1.`);
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);

    await w.getByRole('button', { name: 'Copy link to this state' }).click();
    await expect(w.getByRole('status').filter({ hasText: 'Link copied' })).toBeVisible();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(new RegExp(`/${c.path}#w\\.${c.tag}=1\\.[A-Za-z0-9_-]+$`));

    const other = await context.newPage();
    await other.goto(link);
    const restored = other.locator(c.tag).first();
    await c.ready?.(restored);
    const text = () => restored.locator(c.output).first().innerText();
    await expect.poll(async () => (await text()).trim(), { timeout: 30_000 }).toBe(output);
    await expect.poll(() => controls(restored)).toEqual(changed);
    await expect(restored.locator('.share-notice')).toHaveCount(0);
    await other.close();
  });
}

test.describe('a broken or outdated link falls back to the defaults with a notice', () => {
  const cases: [string, string, RegExp][] = [
    ['damaged', '1.%%%', /damaged|not base64url/],
    ['outdated format', `0.${encodeState({ logits: '1' }).slice(2)}`, /older version/],
    ['unknown setting', encodeState({ nope: '1' }), /older version.*nope/],
    ['not a settings object', encodeState([1, 2]), /not a set of settings/],
    ['bad value', encodeState({ logits: 5 }), /not one this widget accepts/],
  ];
  for (const [what, value, reason] of cases) {
    test(what, async ({ page }) => {
      await page.goto(`chapters/start-here/#intro&w.softmax-mini=${value}`);
      const w = page.locator('softmax-mini');
      const notice = w.locator('.share-notice');
      await expect(notice).toContainText(reason);
      await expect(notice).toContainText('Showing the defaults');
      await expect(w.getByLabel('Logits (comma-separated)')).toHaveValue('2, 1, 0.1');
      await expect(w.locator('tbody tr')).toHaveCount(3);
      // The broken entry leaves the address bar; the heading anchor stays.
      await expect.poll(() => new URL(page.url()).hash).toBe('#intro');
    });
  }
});

test('a plain heading anchor is left alone and two widgets keep separate entries', async ({ page }) => {
  await page.goto('chapters/sampling-and-quantization/#top');
  const q = page.locator('int8-quantization');
  await q.getByLabel('Scale').selectOption('per-channel');
  await expect.poll(() => page.url()).toMatch(/#top&w\.int8-quantization=1\./);
  const s = page.locator('sampling-playground');
  await expect(s).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await s.getByLabel('Seed').fill('12');
  await expect
    .poll(() => page.url())
    .toMatch(/#top&w\.int8-quantization=1\.[\w-]+&w\.sampling-playground=1\./);
  // Back at its default, a widget's entry disappears again.
  await q.getByLabel('Scale').selectOption('per-tensor');
  await expect.poll(() => page.url()).toMatch(/#top&w\.sampling-playground=1\.[\w-]+$/);
});
