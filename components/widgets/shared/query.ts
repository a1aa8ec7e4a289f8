/** The first element under `root` matching `selector`; throws naming the widget if its shell lacks it. */
export function requireElement<T extends Element = HTMLElement>(
  root: ParentNode,
  selector: string,
  widget: string,
): T {
  const node = root.querySelector<T>(selector);
  if (!node) throw new Error(`${widget}: missing ${selector}`);
  return node;
}

/** The form control named `name` under `root`; throws naming the widget if its shell lacks it. */
export function requireField<T extends HTMLElement = HTMLInputElement>(
  root: ParentNode,
  name: string,
  widget: string,
): T {
  const node = root.querySelector<T>(`[name="${name}"]`);
  if (!node) throw new Error(`${widget}: missing field ${name}`);
  return node;
}
