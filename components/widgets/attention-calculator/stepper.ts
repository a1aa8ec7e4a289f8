/** The attention calculator's stage list and its back/next buttons (d3; labels are fixed text). */
import { select } from 'd3';
import type { StageId } from './model';

/** Draw the stage list under `root` with stage `index` current, and set the step buttons and status. */
export function renderStepper(
  root: HTMLElement,
  stages: { id: StageId; label: string }[],
  index: number,
): void {
  const current = stages[index].id;
  select(root.querySelector<HTMLElement>('.stages'))
    .selectAll<HTMLLIElement, { id: StageId; label: string }>('li')
    .data(stages)
    .join((enter) => {
      const li = enter.append('li');
      li.append('button').attr('type', 'button');
      return li;
    })
    .select('button')
    .attr('data-stage', (s) => s.id)
    .attr('aria-current', (s) => (s.id === current ? 'step' : null))
    .text((s) => s.label);
  root.querySelector('.back')?.setAttribute('aria-disabled', String(index === 0));
  root.querySelector('.next')?.setAttribute('aria-disabled', String(index === stages.length - 1));
  const status = root.querySelector('.step-status');
  if (status) status.textContent = `Stage ${index + 1} of ${stages.length}: ${stages[index].label}`;
}
