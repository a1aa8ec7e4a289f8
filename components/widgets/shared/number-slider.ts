/** Keeping a NumberSlider's number field and slider in step (the field named `n`, the slider `n-slider`). */

const SUFFIX = '-slider';

/**
 * After an input event on `target` inside `root`: a moved slider writes its value into its number
 * field; a typed number that parses moves its slider. Other targets are left alone.
 */
export function mirrorNumberSlider(root: ParentNode, target: EventTarget | null): void {
  if (!(target instanceof HTMLInputElement) || !target.name) return;
  const sliding = target.name.endsWith(SUFFIX);
  const other = sliding ? target.name.slice(0, -SUFFIX.length) : `${target.name}${SUFFIX}`;
  const partner = root.querySelector<HTMLInputElement>(`input[name="${other}"]`);
  if (!partner) return;
  if (sliding) partner.value = target.value;
  else if (target.value.trim() !== '' && Number.isFinite(Number(target.value))) partner.value = target.value;
}
