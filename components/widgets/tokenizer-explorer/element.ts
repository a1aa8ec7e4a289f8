/** The <tokenizer-explorer> element: reads the form, asks the worker for an analysis, draws chips. */
import type { BpeModel } from '../../../src/lib/tokenize/bpe';
import { KINDS, chip, type Kind } from './chip';
import { AnalysisClient } from './client';
import { formatCount, highlightWindow, visibleToken } from './display';
import {
  DRAW_CAP,
  MAX_MERGES,
  mergeStep,
  firstCodePoints,
  type Analysis,
  type ExplorerRequest,
  type TokenView,
  type TokenizerResult,
} from './model';
import { analysisNotes, chipsLabel, stepNote, unknownNote } from './notes';
import { el, textRow } from '../shared/dom';
import { parseNumber } from '../shared/parse';
import { WidgetElement } from '../shared/widget-element';
import { integerExtra } from '../shared/share-state';

/** Characters of the learner's text the merge walk-through replays (it re-encodes on every step). */
const STEP_CAP = 2_000;
/** UTF-16 units of text shown in the text view when nothing is highlighted. */
const VIEW_CAP = 4_000;
const DEBOUNCE_MS = 120;

export class TokenizerExplorer extends WidgetElement {
  private readonly client = new AnalysisClient(
    (analysis) => this.receive(analysis),
    (message) => this.failed(message),
  );
  private timer: ReturnType<typeof setTimeout> | undefined;
  private slowTimer: ReturnType<typeof setTimeout> | undefined;
  private analysis: Analysis | null = null;
  private stepText = '';
  private stepTokens: TokenView[] = [];
  /** A shared link's merge step, waiting for the analysis that gives the walk-through its length. */
  private pendingStep: number | null = null;

  private onInput = (e: Event) => {
    const target = e.target as HTMLElement;
    if (target instanceof HTMLInputElement && target.name === 'step') {
      this.renderStep();
      return;
    }
    this.dataset.ready = 'false';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.request(), target instanceof HTMLTextAreaElement ? DEBOUNCE_MS : 0);
  };
  private onClick = (e: Event) => {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-step]');
    if (!button) return;
    const range = this.field<HTMLInputElement>('step');
    const next = Number(range.value) + (button.dataset.step === 'next' ? 1 : -1);
    range.value = String(Math.max(0, Math.min(Number(range.max), next)));
    this.renderStep();
    this.stateChanged();
  };
  private onPointerOver = (e: Event) => this.highlightFrom(e.target);
  private onFocusIn = (e: Event) => this.highlightFrom(e.target);
  private onPointerOut = (e: Event) => {
    const related = (e as PointerEvent).relatedTarget as Node | null;
    if (!related || !(related instanceof Element) || !related.closest('.chip')) this.clearHighlight();
  };
  private onFocusOut = (e: Event) => {
    const related = (e as FocusEvent).relatedTarget;
    if (!(related instanceof Element) || !related.closest('.chip')) {
      this.querySelectorAll('.chip.active').forEach((c) => c.classList.remove('active'));
      this.renderText();
    }
  };
  private onKeyDown = (e: KeyboardEvent) => {
    const current = (e.target as HTMLElement).closest<HTMLLIElement>('.chip');
    if (!current) return;
    let next: Element | null;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = current.nextElementSibling;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = current.previousElementSibling;
    else if (e.key === 'Home') next = current.parentElement?.firstElementChild ?? null;
    else if (e.key === 'End') next = current.parentElement?.lastElementChild ?? null;
    else return;
    e.preventDefault();
    if (next instanceof HTMLLIElement) {
      current.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  };

  connectedCallback() {
    this.watchForm(this.onInput);
    const steps = this.find('.steps');
    this.listen(steps, 'input', this.onInput);
    this.listen(steps, 'click', this.onClick);
    for (const list of this.querySelectorAll<HTMLElement>('.chips')) {
      this.listen(list, 'pointerover', this.onPointerOver);
      this.listen(list, 'pointerout', this.onPointerOut);
      this.listen(list, 'focusin', this.onFocusIn);
      this.listen(list, 'focusout', this.onFocusOut);
      this.listen(list, 'keydown', this.onKeyDown);
    }
    this.request();
    // Shared: the form, and the merge step when it is not the last (applied once the worker answers).
    const range = this.field<HTMLInputElement>('step');
    const atEnd = () => Number(range.value) >= Number(range.max);
    this.shareState(
      ['text', 'train', 'segmentation', 'merges'],
      integerExtra(
        0,
        MAX_MERGES,
        () => this.pendingStep ?? (atEnd() ? undefined : Number(range.value)),
        (n) => (this.pendingStep = n),
      ),
    );
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.timer);
    clearTimeout(this.slowTimer);
    this.client.stop();
  }

  private setMessage(text: string) {
    const message = this.querySelector<HTMLElement>('.message');
    if (!message) return;
    message.hidden = !text;
    message.textContent = text;
  }

  private setStatus(text: string) {
    const status = this.querySelector<HTMLElement>('.status');
    if (status) status.textContent = text;
  }

  /** Validate the form and send the work to the worker (cancelling work that is now stale). */
  private request() {
    const mergesInput = this.field<HTMLInputElement>('merges');
    const read = parseNumber(mergesInput.value, {
      label: 'BPE merges',
      min: 0,
      max: MAX_MERGES,
      integer: true,
    });
    mergesInput.setAttribute('aria-invalid', String(!read.ok));
    if (!read.ok) {
      this.setMessage(read.message);
      clearTimeout(this.slowTimer);
      this.dataset.ready = 'true';
      return;
    }
    this.setMessage('');
    const request: ExplorerRequest = {
      text: this.field<HTMLTextAreaElement>('text').value,
      trainOn: this.field<HTMLSelectElement>('train').value === 'text' ? 'text' : 'sample',
      segmentation:
        this.field<HTMLSelectElement>('segmentation').value === 'grapheme' ? 'grapheme' : 'codepoint',
      merges: read.value,
    };
    clearTimeout(this.slowTimer);
    this.slowTimer = setTimeout(() => this.setStatus('Tokenizing…'), 200);
    this.client.send(request);
  }

  /** The worker could not analyse the latest text. */
  private failed(error: string) {
    clearTimeout(this.slowTimer);
    this.setStatus('');
    this.setMessage(`Could not tokenize this text: ${error}`);
    this.dataset.ready = 'true';
  }

  /** The latest text's analysis arrived. */
  private receive(analysis: Analysis) {
    clearTimeout(this.slowTimer);
    this.analysis = analysis;
    this.render();
  }

  private render() {
    const a = this.analysis;
    if (!a) return;
    this.setStatus(analysisNotes(a));
    this.renderText();
    for (const kind of KINDS) this.renderPanel(kind, a[kind]);
    this.renderMerges(a.bpeModel);
    const range = this.field<HTMLInputElement>('step');
    const wasAtEnd = Number(range.value) >= Number(range.max);
    range.max = String(a.bpeModel.merges.length);
    if (wasAtEnd || Number(range.value) > a.bpeModel.merges.length) range.value = range.max;
    if (this.pendingStep !== null) {
      range.value = String(Math.min(this.pendingStep, a.bpeModel.merges.length));
      this.pendingStep = null;
      this.stateChanged();
    }
    this.stepText = firstCodePoints(a.analysed, STEP_CAP).text;
    this.renderStep();
    this.dataset.ready = 'true';
  }

  private renderText(start = -1, end = -1) {
    const view = this.querySelector<HTMLElement>('.text-view');
    const a = this.analysis;
    if (!view || !a) return;
    if (start < 0) {
      const shown = a.analysed.slice(0, VIEW_CAP);
      view.replaceChildren(shown);
      if (a.analysed.length > VIEW_CAP)
        view.append(el('span', ' … (shortened; focus a token to see its place)', 'cut'));
      return;
    }
    const w = highlightWindow(a.analysed, start, end);
    const parts: Node[] = [];
    if (w.cutStart) parts.push(el('span', '… ', 'cut'));
    parts.push(document.createTextNode(w.before), el('mark', w.mark), document.createTextNode(w.after));
    if (w.cutEnd) parts.push(el('span', ' …', 'cut'));
    view.replaceChildren(...parts);
  }

  private renderPanel(kind: Kind, r: TokenizerResult) {
    const panel = this.querySelector<HTMLElement>(`.panel[data-kind=${kind}]`);
    if (!panel) return;
    const stat = (name: string) => panel.querySelector<HTMLElement>(`[data-stat=${name}]`)!;
    stat('tokens').textContent = formatCount(r.tokenCount);
    stat('vocab').textContent = formatCount(r.vocabSize);
    stat('per-char').textContent = r.tokensPerChar.toFixed(3);
    const rt = stat('round-trip');
    rt.textContent = r.exact ? 'exact' : 'not exact';
    rt.className = r.exact ? 'ok' : 'bad';

    const unknown = panel.querySelector<HTMLElement>('.unknown-note')!;
    const trainedOnSample = this.field<HTMLSelectElement>('train').value === 'sample';
    unknown.textContent = unknownNote(kind, r, trainedOnSample);
    unknown.hidden = unknown.textContent === '';

    const cap = panel.querySelector<HTMLElement>('.cap-note')!;
    cap.hidden = r.tokenCount <= DRAW_CAP;
    cap.textContent = `Showing the first ${formatCount(DRAW_CAP)} of ${formatCount(r.tokenCount)} tokens.`;

    const list = panel.querySelector<HTMLOListElement>('.chips')!;
    list.setAttribute('aria-label', chipsLabel(kind, r));
    this.fillChips(list, r.tokens);
    const decoded = panel.querySelector<HTMLElement>('.decoded')!;
    decoded.textContent =
      r.decodedLength > r.decoded.length
        ? `${r.decoded} … (${formatCount(r.decodedLength)} in all)`
        : r.decoded;
  }

  private fillChips(list: HTMLOListElement, tokens: TokenView[], newId = -1) {
    const frag = document.createDocumentFragment();
    tokens.forEach((t, i) => {
      const li = chip(t, i, true);
      if (t.id === newId && !t.unknown) li.classList.add('new');
      frag.append(li);
    });
    list.replaceChildren(frag);
    const first = list.firstElementChild as HTMLLIElement | null;
    if (first) first.tabIndex = 0;
  }

  private renderMerges(model: BpeModel) {
    const body = this.querySelector('.merge-list tbody');
    const summary = this.querySelector('.merge-list summary');
    if (!body || !summary) return;
    summary.textContent = `All learned merges (${model.merges.length})`;
    body.replaceChildren(
      ...model.merges.map((m) =>
        textRow([
          String(m.rank + 1),
          { text: `${visibleToken(m.parts[0])} + ${visibleToken(m.parts[1])}`, className: 'tok' },
          { text: visibleToken(m.token), className: 'tok' },
          String(m.id),
          String(m.count),
        ]),
      ),
    );
  }

  private renderStep() {
    const a = this.analysis;
    if (!a) return;
    const range = this.field<HTMLInputElement>('step');
    const step = Number(range.value);
    const total = a.bpeModel.merges.length;
    const output = this.querySelector('.step-value');
    if (output) output.textContent = `${step} / ${total}`;
    this.querySelector<HTMLButtonElement>('button[data-step=prev]')!.disabled = step <= 0;
    this.querySelector<HTMLButtonElement>('button[data-step=next]')!.disabled = step >= total;
    const result = mergeStep(a.bpeModel, this.stepText, step);
    this.stepTokens = result.tokens;
    const list = this.querySelector<HTMLOListElement>('.step-chips')!;
    this.fillChips(list, result.tokens, result.merge?.id ?? -1);
    this.querySelector('.step-note')!.textContent = stepNote(a, step, result, STEP_CAP);
    this.querySelectorAll('.merge-list tbody tr').forEach((tr, i) => {
      if (i === step - 1) tr.setAttribute('aria-current', 'true');
      else tr.removeAttribute('aria-current');
    });
  }

  /** Highlight the span of the chip under the pointer or focus in the text view. */
  private highlightFrom(target: EventTarget | null) {
    const li = (target as HTMLElement | null)?.closest?.<HTMLLIElement>('.chip');
    const a = this.analysis;
    if (!li || !a) return;
    const list = li.closest('.chips');
    const i = Number(li.dataset.i);
    let token: TokenView | undefined;
    if (list?.classList.contains('step-chips')) token = this.stepTokens[i];
    else {
      const kind = li.closest<HTMLElement>('.panel')?.dataset.kind as Kind | undefined;
      if (kind) token = a[kind].tokens[i];
    }
    if (!token) return;
    this.querySelectorAll('.chip.active').forEach((c) => c.classList.remove('active'));
    li.classList.add('active');
    if (document.activeElement === li) {
      list?.querySelectorAll<HTMLLIElement>('.chip').forEach((c) => (c.tabIndex = c === li ? 0 : -1));
    }
    this.renderText(token.start, token.end);
  }

  private clearHighlight() {
    if (this.contains(document.activeElement) && document.activeElement?.classList.contains('chip')) return;
    this.querySelectorAll('.chip.active').forEach((c) => c.classList.remove('active'));
    this.renderText();
  }
}

if (!customElements.get('tokenizer-explorer')) customElements.define('tokenizer-explorer', TokenizerExplorer);
