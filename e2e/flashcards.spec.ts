import type { Page, APIRequestContext } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, setTheme } from './fixtures';

/** The cards of one chapter as the built site ships them (so the tests follow whatever the content is). */
async function chapterCards(request: APIRequestContext, chapter = 'start-here') {
  const deck = await (await request.get('./flashcards/cards.json')).json();
  return (deck.cards as { id: string; chapter: string; q: string }[]).filter((c) => c.chapter === chapter);
}

const quiz = (page: Page) => page.locator('.fc-quiz');
const question = (page: Page) => page.locator('.fc-question');
const stat = (page: Page, name: string) => page.locator(`[data-stat=${name}]`);

/** Reveal with Space and grade with a digit key, waiting for the next card (or the end) each time. */
async function reviewByKeyboard(page: Page, grade: '1' | '2' | '3' | '4') {
  await expect(quiz(page)).toHaveAttribute('data-phase', 'question');
  const before = await question(page).textContent();
  await page.keyboard.press('Space');
  await expect(quiz(page)).toHaveAttribute('data-phase', 'answer');
  await expect(page.locator('.fc-answer')).toBeVisible();
  await page.keyboard.press(grade);
  await expect(quiz(page)).not.toHaveAttribute('data-phase', /answer|saving/);
  return before;
}

/** Number of review records in IndexedDB. */
function storedReviews(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('attention-notebook-flashcards');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('records').objectStore('records').getAllKeys();
          req.onsuccess = () => {
            resolve(req.result.filter((k) => String(k).startsWith('review:')).length);
            open.result.close();
          };
        };
      }),
  );
}

test('review a chapter deck by keyboard; a reload keeps the progress and resumes', async ({
  page,
  request,
}) => {
  const cards = await chapterCards(request);
  expect(cards.length).toBeGreaterThanOrEqual(2);
  await page.goto('./review/?deck=start-here');
  await expect(page.locator('select[name=deck]')).toHaveValue('start-here');
  await expect(question(page)).toHaveText(cards[0].q);
  await expect(page.locator('.fc-progress')).toHaveText(`${cards.length} cards due (${cards.length} new).`);

  // Space reveals; each grade button shows the next interval (FSRS learning steps for a new card).
  await page.keyboard.press('Space');
  await expect(page.locator('.fc-answer')).toBeVisible();
  const grades = page.getByRole('group', { name: 'How well did you remember?' });
  await expect(grades.getByRole('button', { name: /Again\s+1 minute/ })).toBeVisible();
  await expect(grades.getByRole('button', { name: /Good\s+10 minutes/ })).toBeVisible();
  await page.keyboard.press('3');
  await expect(question(page)).toHaveText(cards[1].q);
  await expect(stat(page, 'reviewedToday')).toHaveText('1');

  // Reload mid-session: the first review was stored before the second card showed.
  await page.reload();
  await expect(question(page)).toHaveText(cards[1].q);
  await expect(page.locator('.fc-progress')).toHaveText(
    `${cards.length - 1} cards due (${cards.length - 1} new).`.replace('1 cards', '1 card'),
  );
  await expect(stat(page, 'reviewedToday')).toHaveText('1');

  for (let i = 1; i < cards.length; i++) await reviewByKeyboard(page, i === 1 ? '1' : '4');
  await expect(page.locator('.fc-done-text')).toContainText('Nothing is due right now.');
  await expect(page.locator('.fc-done-text')).toContainText('The next card is due in');
  await expect(stat(page, 'reviewedToday')).toHaveText(String(cards.length));
  expect(await storedReviews(page)).toBe(cards.length);

  await page.reload();
  await expect(page.locator('.fc-done-text')).toContainText('Nothing is due right now.');
  await expect(stat(page, 'reviewedToday')).toHaveText(String(cards.length));
  await expect(stat(page, 'seen')).toHaveText(`${cards.length} of ${cards.length} cards`);
  await expect(page.locator('.fc-chart-svg svg[role=img]')).toHaveAttribute(
    'aria-label',
    new RegExp(`${cards.length} today`),
  );
});

test('learning steps bring an Again card back after a minute (fake clock)', async ({ page }) => {
  await page.clock.install({ time: new Date('2025-03-03T09:00:00') });
  await page.goto('./review/?deck=start-here');
  await expect(quiz(page)).toHaveAttribute('data-phase', 'question');
  await page.locator('input[name=newPerDay]').fill('1');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.fc-settings-status')).toHaveText('Saved: 1 new card per day.');
  await question(page).focus(); // Space on the focused Save button would press it again
  const first = await reviewByKeyboard(page, '1');
  await expect(page.locator('.fc-done-text')).toContainText('The next card is due in 1 minute.');
  await expect(page.locator('.fc-done-text')).toContainText('wait for tomorrow');
  await page.clock.fastForward('01:05');
  await expect(question(page)).toHaveText(first ?? '');
  await expect(page.locator('.fc-progress')).toHaveText('1 card due (1 learning).');
});

test('the answer is rendered with math and code like the chapter', async ({ page, request }) => {
  const deck = await (await request.get('./flashcards/cards.json')).json();
  const cards = deck.cards as { id: string; chapter: string; a: string }[];
  const withMath = cards.find((c) => c.a.includes('class="katex"'));
  const withCode = cards.find((c) => c.a.includes('<code'));
  expect(withMath, 'some answer has math').toBeTruthy();
  for (const target of [withMath!, withCode!].filter(Boolean)) {
    // Cram shows a chapter's cards in course order: grade the ones before the target, then reveal it.
    await page.goto(`./review/?deck=${target.chapter}&mode=cram`);
    await expect(quiz(page)).toHaveAttribute('data-phase', 'question');
    for (const c of cards.filter((x) => x.chapter === target.chapter)) {
      if (c.id === target.id) break;
      await reviewByKeyboard(page, '3');
    }
    await expect(quiz(page)).toHaveAttribute('data-phase', 'question');
    await page.keyboard.press('Space');
    const answer = page.locator('.fc-answer');
    await expect(answer.locator(target === withMath ? '.katex' : 'code').first()).toBeVisible();
    await page.evaluate(() => sessionStorage.clear());
  }
});

test('cram mode goes through every card regardless of due dates', async ({ page, request }) => {
  const cards = await chapterCards(request);
  await page.goto('./review/?deck=start-here');
  for (let i = 0; i < cards.length; i++) await reviewByKeyboard(page, '4');
  await expect(page.locator('.fc-done-text')).toContainText('Nothing is due right now.');
  await page.getByRole('button', { name: /Cram .* anyway/ }).click();
  await expect(page).toHaveURL(/mode=cram/);
  await expect(page.locator('.fc-progress')).toContainText(`${cards.length} cards left`);
  await expect(question(page)).toHaveText(cards[0].q);
  await reviewByKeyboard(page, '1'); // Again: back of the cram queue
  for (let i = 1; i < cards.length; i++) await reviewByKeyboard(page, '3');
  await expect(question(page)).toHaveText(cards[0].q);
  await reviewByKeyboard(page, '3');
  await expect(page.locator('.fc-done-text')).toContainText('You went through every card');
  await page.reload();
  await expect(page.locator('.fc-done-text')).toContainText('You went through every card');
});

test('the chapter quiz works by keyboard inside the quiz only and fits the page', async ({
  page,
  request,
}) => {
  const cards = await chapterCards(request);
  await page.goto('./chapters/start-here/');
  const section = page.locator('chapter-quiz');
  await expect(section.getByRole('heading', { name: 'Quiz yourself with flashcards' })).toBeAttached();
  await section.scrollIntoViewIfNeeded();
  await expect(section.locator('.cq-status')).toHaveText(`${cards.length} new cards`);
  // Space outside the quiz scrolls the page as usual; it does not reveal anything.
  await section.getByRole('button', { name: 'Start the quiz' }).click();
  await expect(section.locator('.fc-question')).toHaveText(cards[0].q);
  await expect(section.locator('.fc-question')).toBeFocused();
  await reviewByKeyboard(page, '3');
  await expect(section.locator('.fc-question')).toHaveText(cards[1].q);
  await page.locator('#main').focus();
  await page.keyboard.press('Space');
  await expect(section.locator('.fc-answer')).toBeHidden();
  await section.getByRole('button', { name: /Show answer/ }).click();
  await section.getByRole('button', { name: /Easy/ }).click();
  await expect(section.locator('.fc-question')).not.toHaveText(cards[1].q);
  await page.goto('./review/?deck=start-here');
  await expect(stat(page, 'reviewedToday')).toHaveText('2');
});

test('export, then import into a fresh browser: progress round-trips and a second import adds nothing', async ({
  page,
  browser,
}) => {
  await page.goto('./review/?deck=start-here');
  await reviewByKeyboard(page, '3');
  await reviewByKeyboard(page, '4');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export progress (JSON)' }).click();
  const file = await (await download).path();
  await expect(page.locator('.fc-import-status')).toContainText('Exported 2 reviews');

  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto('./review/?deck=start-here');
  await expect(fresh.locator('[data-stat=reviewedToday]')).toHaveText('0');
  await fresh.locator('.fc-import input[type=file]').setInputFiles(file);
  await expect(fresh.getByRole('status').filter({ hasText: 'Imported 2 new reviews' })).toBeVisible();
  await expect(fresh.locator('[data-stat=reviewedToday]')).toHaveText('2');
  await fresh.locator('.fc-import input[type=file]').setInputFiles(file);
  await expect(fresh.locator('.fc-import-status')).toHaveText(
    /Imported 0 new reviews .* 2 were already here\./,
  );
  await fresh.reload();
  await expect(fresh.locator('[data-stat=reviewedToday]')).toHaveText('2');
  await context.close();
});

test('a corrupt or foreign import file is refused with a clear message and changes nothing', async ({
  page,
}) => {
  await page.goto('./review/');
  await expect(quiz(page)).toHaveAttribute('data-phase', 'question');
  await reviewByKeyboard(page, '3');
  const input = page.locator('.fc-import input[type=file]');
  await input.setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "attention'),
  });
  await expect(page.getByRole('alert').filter({ hasText: 'broken.json' })).toContainText(
    'not valid JSON, so nothing was imported',
  );
  await input.setInputFiles({
    name: 'other.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"cards": []}'),
  });
  await expect(page.locator('.fc-import-error')).toContainText('not an Attention Notebook flashcards export');
  const mixed = {
    format: 'attention-notebook-flashcards',
    version: 1,
    reviews: [
      { card: 'start-here/why-subtract-max', at: Date.now() - 60_000, grade: 3, state: 0 },
      { card: '<img src=x onerror=alert(1)>', at: Date.now(), grade: 3, state: 0 },
      { card: 'start-here/x', at: 'yesterday', grade: 9 },
    ],
  };
  await input.setInputFiles({
    name: 'mixed.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(mixed)),
  });
  await expect(page.locator('.fc-import-status')).toContainText('Imported 1 new review from “mixed.json”.');
  await expect(page.locator('.fc-import-error')).toHaveText(
    '2 entries in the file were not a valid review and were skipped.',
  );
  await expect(stat(page, 'reviewedToday')).toHaveText('2');
  expect(await page.locator('img[src=x]').count()).toBe(0);
});

test('corrupt data in storage is reset with a message and the rest is kept', async ({ page }) => {
  await page.goto('./review/');
  await reviewByKeyboard(page, '3');
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('attention-notebook-flashcards');
        open.onsuccess = () => {
          const tx = open.result.transaction('records', 'readwrite');
          const store = tx.objectStore('records');
          store.put('garbage', 'review:start-here/nope@1');
          store.put(
            { card: 'start-here/softmax-sums-to-one', due: 'tomorrow' },
            'card:start-here/softmax-sums-to-one',
          );
          store.put({ newPerDay: 'lots' }, 'settings');
          store.put([1, 2, 3], 'from-another-app');
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await expect(page.locator('.fc-notice')).toHaveText(
    '4 saved flashcard records could not be read and were reset. The rest of your progress is kept.',
  );
  await expect(stat(page, 'reviewedToday')).toHaveText('1');
  await page.reload();
  await expect(page.locator('.fc-notice')).toHaveText('');
  await expect(stat(page, 'reviewedToday')).toHaveText('1');
});

test('without storage (private mode) the quiz still works and says progress will not be saved', async ({
  page,
}) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
  });
  await page.goto('./review/?deck=start-here');
  await expect(page.locator('.fc-notice')).toContainText('progress will not be saved');
  await reviewByKeyboard(page, '3');
  await expect(stat(page, 'reviewedToday')).toHaveText('1');
  await page.goto('./chapters/start-here/');
  await page.getByRole('button', { name: 'Start the quiz' }).click();
  await expect(page.locator('chapter-quiz .fc-notice')).toContainText('progress will not be saved');
});

test('without storage the home page and a chapter wait out the storage timeout with no unhandled rejection', async ({
  page,
}) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = function () {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    };
  });
  await page.goto('./');
  await expect(page.locator('due-count .dc-text')).toHaveText(/new cards to learn\./);
  // the old code's 4 s storage timeout rejected after the failed read, unhandled (the fixture fails on it)
  await page.waitForTimeout(5000);
  await page.goto('./chapters/start-here/');
  await page.locator('chapter-quiz').scrollIntoViewIfNeeded();
  await expect(page.locator('chapter-quiz .cq-status')).toHaveText(/new cards/);
  await page.waitForTimeout(5000);
});

test('two tabs: a card reviewed in one moves the other on; no review is lost or duplicated', async ({
  page,
  context,
  request,
}) => {
  const cards = await chapterCards(request);
  const other = await context.newPage();
  await page.goto('./review/?deck=start-here');
  await other.goto('./review/?deck=start-here');
  await expect(question(page)).toHaveText(cards[0].q);
  await expect(question(other)).toHaveText(cards[0].q);
  await reviewByKeyboard(page, '3');
  await expect(question(other)).toHaveText(cards[1].q);
  await expect(other.locator('.fc-notice')).toContainText('just reviewed in another tab');
  await expect(stat(other, 'reviewedToday')).toHaveText('1');
  await reviewByKeyboard(other, '3');
  await expect(stat(page, 'reviewedToday')).toHaveText('2');
  await expect(question(page)).not.toHaveText(cards[1].q);
  await other.reload();
  await expect(stat(other, 'reviewedToday')).toHaveText('2');
  expect(await storedReviews(page)).toBe(2);
  await other.close();
});

test('the home page says how many cards are due and the header links to the flashcards', async ({
  page,
  request,
}) => {
  const deck = await (await request.get('./flashcards/cards.json')).json();
  await page.goto('./');
  const due = Math.min(deck.cards.length, 20); // new cards per day, default limit
  // a first-time visitor has read nothing: the cards are new, not "due"
  await expect(page.locator('due-count .dc-text')).toHaveText(`${due} new cards to learn.`);
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Flashcards' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Flashcards' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Flashcards' }),
  ).toHaveAttribute('aria-current', 'page');
});

test('the Anki files have the header lines and one note per line with four fields', async ({
  page,
  request,
}) => {
  const deck = await (await request.get('./flashcards/cards.json')).json();
  const text = await (await request.get('./flashcards/anki/all.txt')).text();
  const lines = text.trimEnd().split('\n');
  expect(lines.slice(0, 2)).toEqual(['#separator:tab', '#html:true']);
  const notes = lines.filter((l) => !l.startsWith('#'));
  expect(notes).toHaveLength(deck.cards.length);
  for (const n of notes) expect(n.split('\t')).toHaveLength(4);
  await page.goto('./review/?deck=start-here');
  await expect(page.locator('.fc-anki')).toHaveAttribute('href', /flashcards\/anki\/start-here\.txt$/);
});

/** Serious or critical axe violations on the page as it is now. */
async function axeProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe passes with an answer revealed and when all is done, in ${theme} mode`, async ({ page }) => {
    await page.goto('./review/?deck=start-here');
    await setTheme(page, theme);
    await expect(quiz(page)).toHaveAttribute('data-phase', 'question');
    await question(page).focus(); // the theme button has focus, and Space would press it
    await page.keyboard.press('Space');
    await expect(page.locator('.fc-answer')).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
    await page.keyboard.press('3');
    await page.goto('./chapters/start-here/');
    await page.getByRole('button', { name: 'Start the quiz' }).click();
    await expect(page.locator('chapter-quiz .fc-quiz')).toHaveAttribute('data-phase', 'question');
    await page.keyboard.press('Space');
    await expect(page.locator('chapter-quiz .fc-answer')).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
    await page.goto('./review/?deck=start-here&mode=cram');
    await page.locator('.fc-question').focus();
    while ((await quiz(page).getAttribute('data-phase')) === 'question') await reviewByKeyboard(page, '4');
    await expect(page.locator('.fc-done-text')).toContainText('You went through every card');
    await page.getByRole('button', { name: 'Export progress (JSON)' }).click();
    expect(await axeProblems(page)).toEqual([]);
  });
}
