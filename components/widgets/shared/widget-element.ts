import { requireElement, requireField } from './query';

/**
 * Base of the widgets' custom elements: field() and find() look up the shell's parts (throwing with the
 * widget's tag name when one is missing), and listen() adds listeners that disconnecting removes again.
 */
export abstract class WidgetElement extends HTMLElement {
  private listeners: AbortController | null = null;
  private resize: ResizeObserver | null = null;
  private resizeFrame = 0;

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

  /** Removes every listener listen() added and stops redrawOnResize; a subclass's own teardown calls super. */
  disconnectedCallback(): void {
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
