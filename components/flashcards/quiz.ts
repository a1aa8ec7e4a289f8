/**
 * Drives the markup of Quiz.astro: shows the next card, reveals the answer (Space), grades it
 * (1–4), and only then shows the next card: grade() resolves after the review is stored.
 */
import { deckCards, type DeckCard } from '../../src/flashcards/deck';
import type { GradeValue } from '../../src/flashcards/records';
import { formatInterval, GRADE_NAMES, GRADES } from '../../src/flashcards/scheduler';
import type { FlashcardSession } from '../../src/flashcards/session';

export type Mode = 'due' | 'cram';

export interface QuizOptions {
  deckKey: string;
  mode: Mode;
  /** Where Space and 1–4 work: the whole page (review page) or only inside the quiz (chapter pages). */
  keys: 'page' | 'quiz';
  /** Name of the deck in messages ("this chapter", "the course"). */
  deckName: (key: string) => string;
  /** Called after every change of progress (a review here or in another tab, an import). */
  onProgress?: () => void;
  /** Called when the learner asks to cram from the "all done" message. */
  onCram?: () => void;
}

/** When the current cram of a deck began; kept per tab (sessionStorage) so a reload resumes it. */
export function cramSince(deckKey: string, restart = false): number {
  const key = `an-flashcards-cram:${deckKey}`;
  const now = Date.now();
  try {
    const stored = Number(sessionStorage.getItem(key));
    if (!restart && Number.isFinite(stored) && stored > 0 && stored <= now) return stored;
    sessionStorage.setItem(key, String(now));
  } catch {
    memoryCram.set(key, restart || !memoryCram.has(key) ? now : memoryCram.get(key)!);
    return memoryCram.get(key)!;
  }
  return now;
}
const memoryCram = new Map<string, number>();

function must<T extends Element>(root: Element, selector: string): T {
  const el = root.querySelector<T>(selector);
  if (!el) throw new Error(`flashcards: missing ${selector}`);
  return el;
}

/** The quiz's parts by name; each is the element of class fc-<name in kebab case>. */
const PARTS = [
  'notice',
  'progress',
  'card',
  'chapter',
  'question',
  'answer',
  'grades',
  'done',
  'doneText',
  'error',
] as const;
/** The quiz's buttons by name, found the same way. */
const BUTTONS = ['reveal', 'cram'] as const;

/** Looks up every part and button of the quiz in root (throws naming the first one missing). */
function quizParts(root: Element) {
  const find = <T extends Element>(name: string) =>
    must<T>(root, `.fc-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  const table = <K extends string, T extends Element>(names: readonly K[]) =>
    Object.fromEntries(names.map((n) => [n, find<T>(n)])) as Record<K, T>;
  return {
    ...table<(typeof PARTS)[number], HTMLElement>(PARTS),
    ...table<(typeof BUTTONS)[number], HTMLButtonElement>(BUTTONS),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class Quiz {
  private readonly el;
  private current: DeckCard | null = null;
  private phase: 'question' | 'answer' | 'saving' | 'done' = 'done';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly off: (() => void)[] = [];
  private since = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly session: FlashcardSession,
    private options: QuizOptions,
  ) {
    this.el = quizParts(root);
    const onKey = (e: KeyboardEvent) => this.onKey(e);
    const scope: HTMLElement | Document = options.keys === 'page' ? document : root;
    scope.addEventListener('keydown', onKey as EventListener);
    this.off.push(() => scope.removeEventListener('keydown', onKey as EventListener));
    this.el.reveal.addEventListener('click', () => this.reveal());
    this.el.grades.addEventListener('click', (e) => {
      const b = (e.target as Element).closest<HTMLButtonElement>('[data-grade]');
      if (b) void this.grade(Number(b.dataset.grade) as GradeValue);
    });
    this.el.cram.addEventListener('click', () => {
      if (this.options.mode === 'cram') this.restartCram();
      else this.options.onCram?.();
    });
    this.off.push(
      session.on((e) => {
        if (e.type === 'storage-lost') this.showNotices();
        else this.onRemote(e.type === 'remote-review' ? e.card : null);
      }),
    );
    this.showNotices();
  }

  /** Show the first card (or the "all done" message). With `focus`, focus moves to it. */
  start(focus = false): void {
    if (this.options.mode === 'cram') this.since = cramSince(this.options.deckKey);
    this.next(focus);
  }

  update(options: Partial<Pick<QuizOptions, 'deckKey' | 'mode'>>): void {
    this.options = { ...this.options, ...options };
    this.start(false);
  }

  get mode(): Mode {
    return this.options.mode;
  }

  destroy(): void {
    clearTimeout(this.timer);
    for (const f of this.off) f();
  }

  private queue(): string[] {
    const { deckKey, mode } = this.options;
    return mode === 'cram' ? this.session.cramQueue(deckKey, this.since) : this.session.dueQueue(deckKey).ids;
  }

  private next(focus: boolean): void {
    clearTimeout(this.timer);
    const ids = this.queue();
    const cards = new Map(this.session.deck.cards.map((c) => [c.id, c]));
    const card = ids.length ? cards.get(ids[0]) : undefined;
    this.renderProgress(ids.length);
    if (!card) {
      this.showDone(focus);
      return;
    }
    this.current = card;
    this.phase = 'question';
    const ch = this.session.deck.chapters.find((c) => c.slug === card.chapter);
    this.el.chapter.textContent = ch ? `Chapter ${ch.order} · ${ch.title}` : '';
    this.el.question.textContent = card.q;
    this.el.answer.hidden = true;
    this.el.answer.replaceChildren();
    this.el.grades.hidden = true;
    this.el.reveal.hidden = false;
    this.el.reveal.disabled = false;
    this.el.done.hidden = true;
    this.el.card.hidden = false;
    this.root.dataset.phase = 'question';
    if (focus) this.el.question.focus();
  }

  private reveal(): void {
    if (this.phase !== 'question' || !this.current) return;
    this.phase = 'answer';
    // Build-time HTML rendered from the course's own Markdown (math and code), never user input.
    this.el.answer.innerHTML = this.current.a;
    const preview = this.session.preview(this.current.id);
    for (const g of GRADES) {
      const b = this.el.grades.querySelector<HTMLButtonElement>(`[data-grade="${g}"]`);
      const interval = b?.querySelector('.fc-interval');
      if (!b || !interval) continue;
      interval.textContent = formatInterval(preview[g]);
      b.disabled = false;
      b.title = `${GRADE_NAMES[g]}: next review in ${formatInterval(preview[g])} (key ${g})`;
    }
    this.el.reveal.hidden = true;
    this.el.answer.hidden = false;
    this.el.grades.hidden = false;
    this.root.dataset.phase = 'answer';
    this.el.answer.focus({ preventScroll: true });
    this.el.answer.scrollIntoView({ block: 'nearest' });
  }

  private async grade(g: GradeValue): Promise<void> {
    if (this.phase !== 'answer' || !this.current) return;
    this.phase = 'saving';
    this.root.dataset.phase = 'saving';
    for (const b of this.el.grades.querySelectorAll('button')) b.disabled = true;
    try {
      await this.session.grade(this.current.id, g, { cram: this.options.mode === 'cram' });
      this.el.error.textContent = '';
    } catch {
      this.el.error.textContent = 'That grade could not be recorded. Please try again.';
      this.phase = 'answer';
      this.root.dataset.phase = 'answer';
      for (const b of this.el.grades.querySelectorAll('button')) b.disabled = false;
      return;
    }
    this.el.notice.textContent = '';
    this.showNotices();
    this.options.onProgress?.();
    this.next(true);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    const t = e.target as HTMLElement | null;
    if (t?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]')) return;
    if (e.key === ' ' && this.phase === 'question') {
      // A focused button handles Space itself (it clicks); anywhere else Space reveals.
      if (t?.closest('button, a, summary')) return;
      e.preventDefault();
      this.reveal();
    } else if (/^[1-4]$/.test(e.key) && this.phase === 'answer') {
      e.preventDefault();
      void this.grade(Number(e.key) as GradeValue);
    }
  }

  /** Another tab reviewed a card or imported progress: move on if the card shown is no longer due. */
  private onRemote(card: string | null): void {
    this.options.onProgress?.();
    if (this.phase === 'saving') return;
    const ids = this.queue();
    if (this.phase === 'done') {
      this.next(false);
    } else if (this.current && !ids.includes(this.current.id)) {
      const same = card === this.current.id;
      this.next(false);
      if (same)
        this.el.notice.textContent = 'That card was just reviewed in another tab, so here is the next one.';
    } else {
      this.renderProgress(ids.length);
    }
  }

  private restartCram(): void {
    this.since = cramSince(this.options.deckKey, true);
    this.next(true);
  }

  private renderProgress(left: number): void {
    const { deckKey, mode } = this.options;
    if (mode === 'cram') {
      this.el.progress.textContent = `Cram ${this.options.deckName(deckKey)}: ${plural(left, 'card')} left. Due dates are ignored; your grades still count.`;
      return;
    }
    const q = this.session.dueQueue(deckKey);
    const parts = [
      q.learning && `${q.learning} learning`,
      q.review && `${q.review} to review`,
      q.new && `${q.new} new`,
    ].filter(Boolean);
    this.el.progress.textContent = left
      ? `${plural(left, 'card')} due${parts.length ? ` (${parts.join(', ')})` : ''}.`
      : '';
  }

  private showDone(focus: boolean): void {
    this.current = null;
    this.phase = 'done';
    this.root.dataset.phase = 'done';
    this.el.card.hidden = true;
    this.el.done.hidden = false;
    const { deckKey, mode, deckName } = this.options;
    const total = deckCards(this.session.deck, deckKey).length;
    if (!total) {
      this.el.doneText.textContent = 'There are no questions in this deck yet.';
      this.el.cram.hidden = true;
    } else if (mode === 'cram') {
      this.el.doneText.textContent = `You went through every card of ${deckName(deckKey)}. Well done!`;
      this.el.cram.textContent = 'Cram them again';
      this.el.cram.hidden = false;
    } else {
      const q = this.session.dueQueue(deckKey);
      const bits = ['Nothing is due right now.'];
      if (q.nextDue !== null) {
        // Whole minutes, rounded up: a card due in 59 s is "due in 1 minute".
        const wait = Math.ceil((q.nextDue - Date.now()) / 60_000) * 60_000;
        bits.push(`The next card is due in ${formatInterval(wait)}.`);
      }
      if (q.newWaiting) {
        bits.push(
          `${plural(q.newWaiting, 'new card')} ${q.newWaiting === 1 ? 'waits' : 'wait'} for tomorrow (daily limit of new cards).`,
        );
      }
      this.el.doneText.textContent = bits.join(' ');
      this.el.cram.textContent = `Cram ${deckName(deckKey)} anyway`;
      this.el.cram.hidden = !this.options.onCram;
      // Learning steps are minutes long: come back by themselves when one is due within the hour.
      if (q.nextDue !== null && q.nextDue - Date.now() < 3600_000) {
        this.timer = setTimeout(
          () => this.phase === 'done' && this.next(false),
          q.nextDue - Date.now() + 500,
        );
      }
    }
    if (focus) this.el.doneText.focus();
  }

  private showNotices(): void {
    const text = this.session.notices.join(' ');
    if (text) this.el.notice.textContent = text;
  }
}
