/** The review page (/review/): deck and mode, the quiz, stats, export/import, settings. */
import { ALL, normalizeDeckKey } from '../../src/flashcards/deck';
import { MAX_IMPORT_BYTES, progressFileName } from '../../src/flashcards/progress-file';
import { MAX_NEW_PER_DAY } from '../../src/flashcards/records';
import type { FlashcardSession } from '../../src/flashcards/session';
import { loadSession } from './load';
import { Quiz, type Mode } from './quiz';

const pct = (x: number) => `${Math.round(x * 100)} %`;

class FlashcardReview extends HTMLElement {
  private session!: FlashcardSession;
  private quiz!: Quiz;
  private deckKey = ALL;
  private mode: Mode = 'due';
  private chartFrame = 0;

  connectedCallback() {
    void this.init();
  }

  private $<T extends Element>(selector: string): T {
    const el = this.querySelector<T>(selector);
    if (!el) throw new Error(`flashcards: missing ${selector}`);
    return el;
  }

  private async init() {
    const root = this.$<HTMLElement>('.fc-quiz');
    try {
      this.session = await loadSession(this.dataset.deckUrl ?? '');
    } catch (e) {
      this.$('.fc-progress').textContent = '';
      this.$('.fc-error').textContent =
        e instanceof Error ? e.message : 'The flashcards could not be loaded.';
      return;
    }
    const params = new URLSearchParams(location.search);
    this.deckKey = normalizeDeckKey(this.session.deck, params.get('deck'));
    this.mode = params.get('mode') === 'cram' ? 'cram' : 'due';
    const form = this.$<HTMLFormElement>('.fc-controls');
    const select = form.elements.namedItem('deck') as HTMLSelectElement;
    select.value = this.deckKey;
    this.radio(this.mode).checked = true;
    form.addEventListener('change', () => {
      this.deckKey = normalizeDeckKey(this.session.deck, select.value);
      this.mode = this.radio('cram').checked ? 'cram' : 'due';
      this.apply();
    });
    form.addEventListener('submit', (e) => e.preventDefault());

    this.quiz = new Quiz(root, this.session, {
      deckKey: this.deckKey,
      mode: this.mode,
      keys: 'page',
      deckName: (key) => this.deckName(key),
      onProgress: () => this.renderStats(),
      onCram: () => {
        this.radio('cram').checked = true;
        this.mode = 'cram';
        this.apply(true);
      },
    });
    this.quiz.start(false);
    this.renderLinks();
    this.renderStats();
    this.setUpData();
    new ResizeObserver(() => this.renderChart()).observe(this.$('.fc-chart-svg'));
  }

  private radio(mode: Mode): HTMLInputElement {
    return this.$<HTMLInputElement>(`input[name=mode][value=${mode}]`);
  }

  private deckName(key: string): string {
    const ch = this.session.deck.chapters.find((c) => c.slug === key);
    return ch ? `“${ch.title}”` : 'the whole course';
  }

  /** Deck or mode changed: restart the quiz and keep the choice in the URL (so a reload resumes it). */
  private apply(focus = false) {
    this.quiz.update({ deckKey: this.deckKey, mode: this.mode });
    if (focus) this.quiz.start(true);
    const url = new URL(location.href);
    if (this.deckKey === ALL) url.searchParams.delete('deck');
    else url.searchParams.set('deck', this.deckKey);
    if (this.mode === 'due') url.searchParams.delete('mode');
    else url.searchParams.set('mode', this.mode);
    history.replaceState(null, '', url);
    this.renderLinks();
    this.renderStats();
  }

  private renderLinks() {
    const a = this.$<HTMLAnchorElement>('.fc-anki');
    a.href = `${this.dataset.ankiUrl ?? ''}${this.deckKey}.txt`;
    a.download = `attention-notebook-${this.deckKey === ALL ? 'all' : this.deckKey}-anki.txt`;
    const ch = this.session.deck.chapters.find((c) => c.slug === this.deckKey);
    this.$('.fc-anki-deck').textContent = ch ? ch.title : 'all chapters';
  }

  private renderStats() {
    const s = this.session.stats(this.deckKey);
    const set = (name: string, text: string, detail = '') => {
      const dd = this.querySelector(`[data-stat=${name}]`);
      if (!dd) return;
      dd.textContent = text;
      if (detail) {
        const small = document.createElement('span');
        small.className = 'fc-detail';
        small.textContent = detail;
        dd.append(' ', small);
      }
    };
    set('dueNow', String(s.dueNow));
    set('dueToday', String(s.dueToday));
    set('reviewedToday', String(s.reviewedToday));
    if (s.retention.rate === null) set('retention', 'none yet');
    else set('retention', pct(s.retention.rate), `${s.retention.passed} of ${s.retention.total} recalled`);
    const seen = s.cards.learning + s.cards.review;
    set('seen', String(seen), `of ${seen + s.cards.new} cards`);
    const archived = this.session.archived().length;
    const p = this.$<HTMLElement>('.fc-archived');
    p.hidden = !archived;
    p.textContent = archived
      ? `${archived} ${archived === 1 ? 'card has' : 'cards have'} history but ${archived === 1 ? 'is' : 'are'} no longer in the course; ${archived === 1 ? 'its' : 'their'} reviews are kept (and exported) in case ${archived === 1 ? 'it returns' : 'they return'}.`
      : '';
    this.renderChart();
  }

  /** The chart needs d3, which loads on first use. */
  private renderChart() {
    cancelAnimationFrame(this.chartFrame);
    this.chartFrame = requestAnimationFrame(async () => {
      const { drawReviewChart } = await import('./stats-chart');
      drawReviewChart(this.$('.fc-chart-svg'), this.session.stats(this.deckKey).days);
    });
  }

  private setUpData() {
    const status = this.$('.fc-import-status');
    const error = this.$('.fc-import-error');
    this.$('.fc-export').addEventListener('click', () => {
      const blob = new Blob([this.session.exportProgress()], { type: 'application/json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = progressFileName(Date.now());
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      error.textContent = '';
      status.textContent = `Exported ${this.session.reviews().length} reviews to ${a.download}.`;
    });

    const input = this.$<HTMLInputElement>('.fc-import input[type=file]');
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      status.textContent = '';
      error.textContent = '';
      if (file.size > MAX_IMPORT_BYTES) {
        error.textContent = `“${file.name}” is too large to be a progress file (over ${MAX_IMPORT_BYTES / 1024 / 1024} MB); nothing was imported.`;
        return;
      }
      let text: string;
      try {
        text = await file.text();
      } catch {
        error.textContent = `“${file.name}” could not be read; nothing was imported.`;
        return;
      }
      const r = await this.session.importProgress(text);
      if (!r.ok) {
        error.textContent = `Import of “${file.name}” failed: ${r.message}`;
        return;
      }
      const parts = [`Imported ${r.added} new ${r.added === 1 ? 'review' : 'reviews'} from “${file.name}”.`];
      if (r.known) parts.push(`${r.known} ${r.known === 1 ? 'was' : 'were'} already here.`);
      if (r.archived)
        parts.push(
          `${r.archived} ${r.archived === 1 ? 'card is' : 'cards are'} no longer in the course (kept as archived).`,
        );
      if (!r.saved) parts.push('Storage is unavailable, so they last only until you leave this page.');
      status.textContent = parts.join(' ');
      if (r.skipped) {
        error.textContent = `${r.skipped} ${r.skipped === 1 ? 'entry' : 'entries'} in the file ${r.skipped === 1 ? 'was' : 'were'} not a valid review and ${r.skipped === 1 ? 'was' : 'were'} skipped.`;
      }
      this.settingsInput().value = String(this.session.settings.newPerDay);
      this.quiz.start(false);
      this.renderStats();
    });

    const settings = this.$<HTMLFormElement>('.fc-settings');
    const settingsStatus = this.$('.fc-settings-status');
    this.settingsInput().value = String(this.session.settings.newPerDay);
    settings.addEventListener('submit', async (e) => {
      e.preventDefault();
      const input = this.settingsInput();
      const n = Number(input.value);
      if (!Number.isInteger(n) || n < 0 || n > MAX_NEW_PER_DAY) {
        input.setAttribute('aria-invalid', 'true');
        settingsStatus.textContent = `Enter a whole number from 0 to ${MAX_NEW_PER_DAY}.`;
        return;
      }
      input.removeAttribute('aria-invalid');
      await this.session.setSettings({ newPerDay: n });
      settingsStatus.textContent = `Saved: ${n} new ${n === 1 ? 'card' : 'cards'} per day.`;
      this.quiz.start(false);
      this.renderStats();
    });
  }

  private settingsInput(): HTMLInputElement {
    return this.$<HTMLInputElement>('.fc-settings input[name=newPerDay]');
  }
}

customElements.define('flashcard-review', FlashcardReview);
