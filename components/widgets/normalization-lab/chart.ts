/** d3 drawings of the normalization and regularization lab: scatter, ridge fit, weights, early stopping. */
import { axisBottom, axisLeft, extent, line, max, scaleBand, scaleLinear, select } from 'd3';
import { axisLabel, drawAxes, panelTitle } from '../shared/chart';
import { polyValue } from './model';

const W = 480;

function frame(svgEl: SVGSVGElement, h: number) {
  const svg = select(svgEl).attr('viewBox', `0 0 ${W} ${h}`);
  svg.selectAll('*').remove();
  return svg;
}

function pad([lo, hi]: [number, number]): [number, number] {
  const span = hi - lo || Math.abs(hi) || 1;
  return [lo - span * 0.08, hi + span * 0.08];
}

/**
 * Two scatter panels of features x₁ (horizontal) and x₂ (vertical): the raw rows drawn with the SAME
 * scale on both axes (so a small-scale feature looks flat), and the scaled rows.
 */
export function drawScatter(
  svgEl: SVGSVGElement,
  raw: readonly number[][],
  scaled: readonly number[][],
  scaledLabel: string,
): void {
  const H = 230;
  const svg = frame(svgEl, H);
  const panelW = (W - 20) / 2;
  const m = { top: 22, right: 10, bottom: 26, left: 42 };
  const panels = [
    { data: raw, title: 'raw (same scale on both axes)', equal: true },
    { data: scaled, title: scaledLabel, equal: false },
  ];
  panels.forEach((p, k) => {
    const g = svg.append('g').attr('transform', `translate(${k * (panelW + 20)},0)`);
    const xs = p.data.map((r) => r[0]);
    const ys = p.data.map((r) => r[1]);
    let xd = pad(extent(xs) as [number, number]);
    let yd = pad(extent(ys) as [number, number]);
    if (p.equal) {
      const lo = Math.min(xd[0], yd[0], 0);
      const hi = Math.max(xd[1], yd[1]);
      xd = [lo, hi];
      yd = [lo, hi];
    }
    const x = scaleLinear()
      .domain(xd)
      .range([m.left, panelW - m.right]);
    const y = scaleLinear()
      .domain(yd)
      .range([H - m.bottom, m.top]);
    drawAxes(g, { left: m.left, bottom: H - m.bottom }, axisBottom(x).ticks(4), axisLeft(y).ticks(4));
    panelTitle(g, m.left, 12, p.title);
    axisLabel(g, panelW - m.right, H - m.bottom - 4, 'x₁ →');
    axisLabel(g, m.left + 4, m.top + 8, '↑ x₂', null);
    g.append('g')
      .selectAll('circle')
      .data(p.data)
      .join('circle')
      .attr('class', 'dot')
      .attr('cx', (r) => x(r[0]))
      .attr('cy', (r) => y(r[1]))
      .attr('r', 3.5);
  });
}

/** The noisy points and the fitted polynomial of the L2 part. */
export function drawRidge(
  svgEl: SVGSVGElement,
  data: { x: readonly number[]; y: readonly number[] },
  weights: readonly number[],
): void {
  const H = 200;
  const svg = frame(svgEl, H);
  const m = { top: 10, right: 12, bottom: 26, left: 40 };
  const x = scaleLinear()
    .domain([-1.05, 1.05])
    .range([m.left, W - m.right]);
  const y = scaleLinear()
    .domain([-2, 2])
    .range([H - m.bottom, m.top]);
  drawAxes(svg, { left: m.left, bottom: H - m.bottom }, axisBottom(x).ticks(5), axisLeft(y).ticks(4));
  const xs = Array.from({ length: 201 }, (_, i) => -1.05 + (2.1 * i) / 200);
  const clamp = (v: number) => Math.max(-2.4, Math.min(2.4, v));
  svg
    .append('path')
    .attr('class', 'fit-path')
    .attr(
      'd',
      line<number>()
        .x((v) => x(v))
        .y((v) => y(clamp(polyValue(weights, v))))(xs),
    );
  svg
    .append('g')
    .selectAll('circle')
    .data(data.x.map((v, i) => [v, data.y[i]] as const))
    .join('circle')
    .attr('class', 'dot')
    .attr('cx', (p) => x(p[0]))
    .attr('cy', (p) => y(p[1]))
    .attr('r', 4);
}

/** |w_k| as bars (k = 1…degree; the bias is not penalized and not drawn). */
export function drawWeights(svgEl: SVGSVGElement, weights: readonly number[]): void {
  const H = 150;
  const svg = frame(svgEl, H);
  const m = { top: 10, right: 12, bottom: 26, left: 40 };
  const ws = weights.slice(1).map(Math.abs);
  const x = scaleBand<number>()
    .domain(ws.map((_, i) => i + 1))
    .range([m.left, W - m.right])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, Math.max(1, max(ws) ?? 1)])
    .nice()
    .range([H - m.bottom, m.top]);
  drawAxes(
    svg,
    { left: m.left, bottom: H - m.bottom },
    axisBottom(x).tickFormat((k) => `|w${k}|`),
    axisLeft(y).ticks(4, '~g'),
  );
  svg
    .append('g')
    .selectAll('rect')
    .data(ws)
    .join('rect')
    .attr('class', 'bar')
    .attr('x', (_, i) => x(i + 1) ?? 0)
    .attr('width', x.bandwidth())
    .attr('y', (v) => y(v))
    .attr('height', (v) => H - m.bottom - y(v));
}

/** Train and validation curves with the best epoch and the stopping epoch marked (epochs 1-based). */
export function drawCurves(
  svgEl: SVGSVGElement,
  train: readonly number[] | null,
  val: readonly number[],
  bestEpoch: number,
  stoppedEpoch: number | null,
): void {
  const H = 210;
  const svg = frame(svgEl, H);
  const m = { top: 12, right: 12, bottom: 28, left: 44 };
  const all = [...val, ...(train ?? [])];
  const x = scaleLinear()
    .domain([1, Math.max(2, val.length)])
    .range([m.left, W - m.right]);
  const y = scaleLinear()
    .domain(pad(extent(all) as [number, number]))
    .range([H - m.bottom, m.top]);
  drawAxes(
    svg,
    { left: m.left, bottom: H - m.bottom },
    axisBottom(x).ticks(Math.min(10, val.length), 'd'),
    axisLeft(y).ticks(4, '~g'),
  );
  axisLabel(svg, W - m.right, H - 2, 'epoch');
  if (stoppedEpoch !== null) {
    const sx = x(stoppedEpoch + 1);
    svg
      .append('rect')
      .attr('class', 'after-stop')
      .attr('x', sx)
      .attr('y', m.top)
      .attr('width', W - m.right - sx)
      .attr('height', H - m.bottom - m.top);
    svg
      .append('text')
      .attr('class', 'mark-label')
      .attr('x', sx - 4)
      .attr('y', m.top + 12)
      .attr('text-anchor', 'end')
      .text(`stop (${stoppedEpoch + 1})`);
    svg
      .append('line')
      .attr('class', 'stop-line')
      .attr('x1', sx)
      .attr('x2', sx)
      .attr('y1', m.top)
      .attr('y2', H - m.bottom);
  }
  const path = (vs: readonly number[], cls: string) =>
    svg
      .append('path')
      .attr('class', cls)
      .attr(
        'd',
        line<number>()
          .x((_, i) => x(i + 1))
          .y((v) => y(v))(vs as number[]),
      );
  if (train) path(train, 'train-path');
  path(val, 'val-path');
  if (bestEpoch >= 0) {
    svg
      .append('circle')
      .attr('class', 'best-dot')
      .attr('cx', x(bestEpoch + 1))
      .attr('cy', y(val[bestEpoch]))
      .attr('r', 6);
    svg
      .append('text')
      .attr('class', 'mark-label')
      .attr('x', x(bestEpoch + 1))
      .attr('y', y(val[bestEpoch]) + 20)
      .attr('text-anchor', 'middle')
      .text(`best (${bestEpoch + 1})`);
  }
}
