/** The training cell's d3 drawings: the loss curves and the attention heatmap (loaded on first use). */
import { axisBottom, axisLeft, format, line, scaleBand, scaleLinear, select } from 'd3';

const W = 560;
const H = 220;
const M = { top: 12, right: 16, bottom: 32, left: 48 };

export interface LossPoint {
  step: number;
  train: number;
  val: number;
}

/** Train and val loss from estimate_loss (points and lines), plus the per-step training loss in faint grey. */
export function drawLoss(svgEl: SVGSVGElement, evals: LossPoint[], steps: [number, number][]): void {
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${H}`);
  svg.selectAll('*').remove();
  if (evals.length === 0 && steps.length === 0) {
    svg
      .append('text')
      .attr('x', W / 2)
      .attr('y', H / 2)
      .attr('text-anchor', 'middle')
      .text('The train and validation losses appear here as training runs.');
    return;
  }
  const all = [...evals.flatMap((e) => [e.train, e.val]), ...steps.map((s) => s[1])].filter(Number.isFinite);
  const lastStep = Math.max(1, ...evals.map((e) => e.step), ...steps.map((s) => s[0]));
  const x = scaleLinear()
    .domain([0, lastStep])
    .range([M.left, W - M.right]);
  const y = scaleLinear()
    .domain([Math.min(...all, 0), Math.max(...all, 1)])
    .nice()
    .range([H - M.bottom, M.top]);
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${H - M.bottom})`)
    .call(axisBottom(x).tickValues(stepTicks(lastStep)).tickFormat(format('d')));
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(${M.left},0)`)
    .call(axisLeft(y).ticks(5));
  svg
    .append('text')
    .attr('x', W - M.right)
    .attr('y', H - 4)
    .attr('text-anchor', 'end')
    .text('step');
  if (steps.length > 1) {
    svg
      .append('path')
      .attr('class', 'step-line')
      .attr(
        'd',
        line<[number, number]>(
          (d) => x(d[0]),
          (d) => y(d[1]),
        )(steps.filter((s) => Number.isFinite(s[1]))),
      );
  }
  for (const key of ['train', 'val'] as const) {
    const pts = evals.filter((e) => Number.isFinite(e[key]));
    svg
      .append('path')
      .attr('class', `loss-${key}`)
      .attr(
        'd',
        line<LossPoint>(
          (d) => x(d.step),
          (d) => y(d[key]),
        )(pts),
      );
    svg
      .append('g')
      .selectAll('circle')
      .data(pts)
      .join('circle')
      .attr('class', `dot-${key}`)
      .attr('r', 3)
      .attr('cx', (d) => x(d.step))
      .attr('cy', (d) => y(d[key]));
  }
}

/** Step-axis ticks: whole steps only, at most six (a run restored at step 0 or 1 drew 0.0, 0.1 … 1.0). */
export function stepTicks(lastStep: number): number[] {
  return scaleLinear()
    .domain([0, Math.max(1, lastStep)])
    .ticks(Math.min(6, Math.max(1, lastStep)))
    .filter(Number.isInteger);
}

/**
 * A character as a heatmap label: space as ␣ and line feed as ⏎, glyphs that common fonts have
 * (U+2420 ␠ drew an empty box in DejaVu Sans, the usual Linux fallback); tab as ⇥.
 */
export function heatmapLabel(c: string): string {
  return c === '\n' ? '⏎' : c === ' ' ? '␣' : c === '\t' ? '⇥' : c;
}

/** A (T, T) attention matrix: row = query position, column = key position, darker = more weight. */
export function drawHeatmap(svgEl: SVGSVGElement, labels: string[], weights: Float32Array, T: number): void {
  const size = 420;
  const m = 40;
  const svg = select(svgEl).attr('viewBox', `0 0 ${size + m} ${size + m}`);
  svg.selectAll('*').remove();
  const show = heatmapLabel;
  const idx = Array.from({ length: T }, (_, i) => i);
  const band = scaleBand<number>()
    .domain(idx)
    .range([m, m + size]);
  const cells = idx.flatMap((r) => idx.map((c) => ({ r, c, w: weights[r * T + c] })));
  svg
    .append('g')
    .selectAll('rect')
    .data(cells)
    .join('rect')
    .attr('x', (d) => band(d.c) ?? 0)
    .attr('y', (d) => band(d.r) ?? 0)
    .attr('width', band.bandwidth())
    .attr('height', band.bandwidth())
    .attr('class', 'cell')
    .attr('fill-opacity', (d) => (d.c > d.r ? 0 : 0.05 + 0.95 * d.w))
    .append('title')
    .text((d) => `${show(labels[d.r])} → ${show(labels[d.c])}: ${d.w.toFixed(3)}`);
  if (T <= 40) {
    const fs = Math.min(12, band.bandwidth());
    svg
      .append('g')
      .selectAll('text')
      .data(idx)
      .join('text')
      .attr('x', (i) => (band(i) ?? 0) + band.bandwidth() / 2)
      .attr('y', m - 4)
      .attr('text-anchor', 'middle')
      .attr('font-size', fs)
      .text((i) => show(labels[i]));
    svg
      .append('g')
      .selectAll('text')
      .data(idx)
      .join('text')
      .attr('x', m - 4)
      .attr('y', (i) => (band(i) ?? 0) + band.bandwidth() / 2 + fs / 3)
      .attr('text-anchor', 'end')
      .attr('font-size', fs)
      .text((i) => show(labels[i]));
  }
}
