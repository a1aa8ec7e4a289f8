/**
 * A widget's shareable state: the form fields it names (plus optional extra state such as a step) live in
 * the URL fragment under `w.<widget-id>` (see src/site/fragment-state.ts), are restored on load, written
 * back (debounced, history.replaceState) as they change, and copied as a link by a "Copy link to this
 * state" button. A broken or outdated entry leaves the defaults in place and says so inside the widget.
 */
import {
  decodeState,
  encodeState,
  fragmentAnchor,
  readFragmentEntry,
  widgetKey,
  writeFragmentEntry,
} from '../../../src/site/fragment-state';
import { copyText, flashStatus } from '../../../src/site/clipboard';
import { el } from './dom';

/** State beyond the form fields: `get` returns a JSON value (undefined when at its default); `set` applies one and says whether it was valid. */
export interface ExtraState {
  get(): unknown;
  set(value: unknown): boolean;
}

/**
 * Extra state that is one whole number from `min` to `max` (a step, a count): `get` gives it (undefined
 * at its default), `apply` replays a shared one; anything else in a link is refused.
 */
export function integerExtra(
  min: number,
  max: number,
  get: () => number | undefined,
  apply: (n: number) => void,
): ExtraState {
  return {
    get,
    set: (n) => {
      if (n === undefined) return true;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) return false;
      apply(n);
      return true;
    },
  };
}

/** What a widget shares: the names of its state fields and, optionally, extra state. */
export interface ShareOptions {
  fields: readonly string[];
  extra?: ExtraState;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type FieldValue = string | boolean;

/** Quiet time after the last edit before the fragment is rewritten (one replaceState per pause, not per key). */
const WRITE_DELAY_MS = 300;
/** Longest text a shared field may hold (keeps links and the work done on load bounded). */
const MAX_TEXT = 20_000;
/** The key extra state is stored under (not a valid field name in our forms). */
const EXTRA = '$';

/** The page-unique share id of `host`: its data-share-id, else its tag plus its position among same-tag widgets. */
export function shareId(host: HTMLElement): string {
  if (host.dataset.shareId) return host.dataset.shareId;
  const same = Array.from(document.querySelectorAll(host.localName));
  const index = same.indexOf(host);
  return index > 0 ? `${host.localName}-${index + 1}` : host.localName;
}

/** The current value of a field: a checkbox's checked state, a radio group's chosen value, else its text. */
function readControls(controls: Control[]): FieldValue {
  const first = controls[0];
  if (first instanceof HTMLInputElement && first.type === 'checkbox') return first.checked;
  if (first instanceof HTMLInputElement && first.type === 'radio') {
    return (controls as HTMLInputElement[]).find((c) => c.checked)?.value ?? '';
  }
  return first.value;
}

/** Whether `value` is one the field could hold (an option that exists, a range value inside its bounds…). */
function acceptable(controls: Control[], value: unknown): boolean {
  const first = controls[0];
  if (first instanceof HTMLInputElement && first.type === 'checkbox') return typeof value === 'boolean';
  if (typeof value !== 'string' || value.length > MAX_TEXT) return false;
  if (first instanceof HTMLInputElement && first.type === 'radio')
    return controls.some((c) => c.value === value);
  if (first instanceof HTMLSelectElement) return Array.from(first.options).some((o) => o.value === value);
  if (first instanceof HTMLInputElement && first.type === 'range') {
    const x = Number(value);
    return value.trim() !== '' && x >= Number(first.min || 0) && x <= Number(first.max || 100);
  }
  return true;
}

/** Set a field the way a person would, firing input and change so the widget reacts as to an edit. */
function writeControls(controls: Control[], value: FieldValue): void {
  let target: Control = controls[0];
  if (target instanceof HTMLInputElement && target.type === 'checkbox') target.checked = value as boolean;
  else if (target instanceof HTMLInputElement && target.type === 'radio') {
    target = controls.find((c) => c.value === value) ?? target;
    (target as HTMLInputElement).checked = true;
  } else target.value = value as string;
  target.dispatchEvent(new Event('input', { bubbles: true }));
  target.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The share mechanism of one widget; WidgetElement.shareState() creates it. */
export class SharedState {
  readonly key: string;
  private readonly defaults = new Map<string, FieldValue>();
  private timer = 0;
  private lastWritten: string | null = null;
  private notice: HTMLElement | null = null;

  constructor(
    private readonly host: HTMLElement,
    private readonly options: ShareOptions,
    listen: (target: EventTarget, type: string, handler: (e: Event) => void) => void,
  ) {
    this.key = widgetKey(shareId(host));
    for (const name of options.fields) this.defaults.set(name, readControls(this.controls(name)));
    this.addButton();
    const changed = () => this.schedule();
    listen(host, 'input', changed);
    listen(host, 'change', changed);
    listen(window, 'hashchange', () => {
      const entry = readFragmentEntry(location.hash, this.key);
      if (entry !== null && entry !== this.lastWritten) this.restore();
    });
  }

  /** The controls named `name` (a radio group has several); throws when the widget has none. */
  private controls(name: string): Control[] {
    const found = Array.from(this.host.querySelectorAll<Control>(`[name="${CSS.escape(name)}"]`));
    if (!found.length) throw new Error(`<${this.host.localName}>: no state field named "${name}"`);
    return found;
  }

  /** The state as stored: only what differs from the defaults; null when everything is at its default. */
  collect(): Record<string, unknown> | null {
    const state: Record<string, unknown> = {};
    for (const [name, initial] of this.defaults) {
      const value = readControls(this.controls(name));
      if (value !== initial) state[name] = value;
    }
    const extra = this.options.extra?.get();
    if (extra !== undefined) state[EXTRA] = extra;
    return Object.keys(state).length ? state : null;
  }

  /** Apply the fragment's entry for this widget, if any; a bad one leaves the defaults and shows a notice. */
  restore(): void {
    const text = readFragmentEntry(location.hash, this.key);
    if (text === null) return;
    const decoded = decodeState<Record<string, unknown>>(text);
    const problem = decoded.ok ? this.check(decoded.value) : decoded.error;
    if (problem || !decoded.ok) {
      this.showNotice(
        `This link’s saved settings for this widget could not be used: ${problem} Showing the defaults.`,
      );
      this.replaceEntry(null);
      return;
    }
    this.hideNotice();
    const state = decoded.value;
    for (const [name, initial] of this.defaults) {
      const value = name in state ? (state[name] as FieldValue) : initial;
      if (readControls(this.controls(name)) !== value) writeControls(this.controls(name), value);
    }
    if (this.options.extra && !this.options.extra.set(state[EXTRA])) {
      this.showNotice(
        'Part of this link’s saved state could not be replayed; the settings above are restored.',
      );
    }
    this.lastWritten = text;
    if (!fragmentAnchor(location.hash) && location.hash.slice(1).startsWith(`${this.key}=`)) {
      requestAnimationFrame(() => this.host.scrollIntoView({ block: 'start' }));
    }
  }

  /** Why `state` cannot be applied (a sentence), or '' when it can. */
  private check(state: unknown): string {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      return 'it is not a set of settings.';
    }
    for (const [name, value] of Object.entries(state)) {
      if (name === EXTRA && this.options.extra) continue;
      if (!this.defaults.has(name))
        return `it was made by an older version of this page (no setting “${name}”).`;
      if (!acceptable(this.controls(name), value))
        return `the value for “${name}” is not one this widget accepts.`;
    }
    return '';
  }

  /** Rewrite the fragment after a pause in editing. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.flush(), WRITE_DELAY_MS);
  }

  /** Write the current state to the fragment now. */
  flush(): void {
    clearTimeout(this.timer);
    const state = this.collect();
    this.replaceEntry(state ? encodeState(state) : null);
  }

  /** Set (or with null remove) this widget's fragment entry without adding a history entry. */
  private replaceEntry(value: string | null): void {
    this.lastWritten = value;
    const hash = writeFragmentEntry(location.hash, this.key, value);
    if (hash === location.hash) return;
    history.replaceState(history.state, '', hash || location.pathname + location.search);
  }

  /** A link to this page that holds this widget's current state only. */
  link(): string {
    const hash = writeFragmentEntry('', this.key, encodeState(this.collect() ?? {}));
    return `${location.origin}${location.pathname}${location.search}${hash}`;
  }

  /** Add the "Copy link to this state" button and its live status line (once, even across reconnects). */
  private addButton(): void {
    this.host.querySelector(':scope > .share-row')?.remove();
    const button = el('button', 'Copy link to this state', 'button share-link');
    button.type = 'button';
    const status = el('span', undefined, 'share-status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    button.addEventListener('click', () => void this.copy(status));
    const row = el('div', undefined, 'share-row');
    row.append(button, status);
    this.host.append(row);
  }

  /** Copy the link, say so, and put the same state in the address bar. */
  private async copy(status: HTMLElement): Promise<void> {
    this.flush();
    const link = this.link();
    if (await copyText(link)) {
      flashStatus(status, 'Link copied');
      return;
    }
    // No clipboard at all: show the link selected, so Ctrl+C (or a long press) copies it by hand.
    const field = el('input', undefined, 'share-fallback');
    field.readOnly = true;
    field.value = link;
    field.setAttribute('aria-label', 'Link to this state');
    status.replaceChildren('Copy this link: ', field);
    field.focus();
    field.select();
  }

  /** Show `message` as a notice at the top of the widget. */
  private showNotice(message: string): void {
    if (!this.notice) {
      this.notice = el('p', undefined, 'share-notice');
      this.notice.setAttribute('role', 'status');
      this.host.prepend(this.notice);
    }
    this.notice.textContent = message;
  }

  /** Remove the notice (a later good link replaced a bad one). */
  private hideNotice(): void {
    this.notice?.remove();
    this.notice = null;
  }

  /** Stop the pending write. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}
