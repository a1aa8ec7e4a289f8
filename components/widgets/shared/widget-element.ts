import { requireElement, requireField } from './query';
import { SharedState, type ExtraState } from './share-state';

/**
 * Base of the widgets' custom elements: field() and find() look up the shell's parts (throwing with the
 * widget's tag name when one is missing), and listen() adds listeners that disconnecting removes again.
 */
export abstract class WidgetElement extends HTMLElement {
  private listeners: AbortController | null = null;
  private resize: ResizeObserver | null = null;
  private resizeFrame = 0;
  private shared: SharedState | null = null;

  /** Listen to `type` on `target` for as long as the element stays connected. */
  protected listen<E extends Event>(target: EventTarget, type: string, handler: (e: E) => void): void {
    this.listeners ??= new AbortController();
    target.addEventListener(type, handler as EventListener, { signal: this.listeners.signal });
  }

  /** Call `onInput` on every edit inside `form` (default: the widget's form), keep it from submitting; returns it. */
  protected watchForm(onInput: (e: Event) => void, form: Element = this.find('form')): Element {
    this.listen(form, 'input', onInput);
    this.listen(form, 'submit', (e) => e.preventDefault());
    return form;
  }

  /** Watch the element's size: after a resize (at most once a frame), run `redraw` if `changed()` says so. */
  protected redrawOnResize(changed: () => boolean, redraw: () => void): void {
    this.resize?.disconnect();
    this.resize = new ResizeObserver(() => {
      cancelAnimationFrame(this.resizeFrame);
      this.resizeFrame = requestAnimationFrame(() => {
        if (changed()) redraw();
      });
    });
    this.resize.observe(this);
  }

  /**
   * Make the form fields named `fields` (and `extra`, e.g. a step count) this widget's shareable state:
   * restores it from the URL fragment now (setting each field and firing input/change as an edit would),
   * writes it back as it changes, and adds a "Copy link to this state" button. Call once the listeners are set.
   */
  protected shareState(fields: readonly string[], extra?: ExtraState): void {
    this.shared?.dispose();
    this.shared = new SharedState(this, { fields, extra }, (t, type, h) => this.listen(t, type, h));
    this.shared.restore();
  }

  /** Tell the share mechanism that extra state (not a form field) changed, so the fragment follows. */
  protected stateChanged(): void {
    this.shared?.schedule();
  }

  /** Removes every listener listen() added and stops redrawOnResize; a subclass's own teardown calls super. */
  disconnectedCallback(): void {
    this.shared?.dispose();
    this.shared = null;
    this.listeners?.abort();
    this.listeners = null;
    this.resize?.disconnect();
    this.resize = null;
    cancelAnimationFrame(this.resizeFrame);
  }

  /** The form control named `name`. */
  protected field<T extends HTMLElement = HTMLInputElement>(name: string): T {
    return requireField<T>(this, name, this.localName);
  }

  /** The first element matching `selector`. */
  protected find<T extends Element = HTMLElement>(selector: string): T {
    return requireElement<T>(this, selector, this.localName);
  }
}
