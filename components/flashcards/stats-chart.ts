/** A small d3 chart of reviews per day (stacked by grade), with a table of the same numbers. */
import { axisBottom, axisLeft, max, scaleBand, scaleLinear, select } from 'd3';
import type { DayBucket } from '../../src/flashcards/stats';

const GRADES = ['again', 'hard', 'good', 'easy'] as const;
const LABELS = { again: 'Again', hard: 'Hard', good: 'Good', easy: 'Easy' };
const day = (ms: number) => new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
const total = (d: DayBucket) => d.again + d.hard + d.good + d.easy;

/** Draw (or redraw) the chart into `host`, sized to its width. */
export function drawReviewChart(host: HTMLElement, days: DayBucket[]): void {
  const width = Math.max(260, Math.min(host.clientWidth || 600, 720));
  const height = 170;
  const m = { top: 8, right: 22, bottom: 24, left: 30 };
  const sum = days.reduce((n, d) => n + total(d), 0);
  const today = days.length ? total(days[days.length - 1]) : 0;

  const x = scaleBand<number>()
    .domain(days.map((_, i) => i))
    .range([m.left, width - m.right])
    .padding(0.2);
  const y = scaleLinear()
    .domain([0, Math.max(4, max(days, total) ?? 0)])
    .nice()
    .range([height - m.bottom, m.top]);

  const root = select(host);
  root.selectAll('*').remove();
  const svg = root
    .append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', width)
    .attr('height', height)
    .attr('role', 'img')
    .attr(
      'aria-label',
      `Bar chart of reviews per day over the last ${days.length} days: ${sum} in total, ${today} today.`,
    );

  for (const d of days.keys()) {
    let base = 0;
    for (const g of GRADES) {
      const n = days[d][g];
      if (!n) continue;
      svg
        .append('rect')
        .attr('class', `bar bar-${g}`)
        .attr('x', x(d) ?? 0)
        .attr('width', x.bandwidth())
        .attr('y', y(base + n))
        .attr('height', y(base) - y(base + n));
      base += n;
    }
  }
  const every = width < 420 ? 10 : 7;
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(0,${height - m.bottom})`)
    .call(
      axisBottom(x)
        .tickValues(days.map((_, i) => i).filter((i) => (days.length - 1 - i) % every === 0))
        .tickFormat((i) => day(days[i].start))
        .tickSizeOuter(0),
    );
  svg
    .append('g')
    .attr('class', 'axis')
    .attr('transform', `translate(${m.left},0)`)
    .call(
      axisLeft(y)
        .ticks(4)
        .tickFormat((v) => String(v)),
    );

  const legend = root.append('ul').attr('class', 'legend');
  for (const g of GRADES) {
    const li = legend.append('li');
    li.append('span').attr('class', `swatch bar-${g}`).attr('aria-hidden', 'true');
    li.append('span').text(LABELS[g]);
  }

  const withReviews = days.filter((d) => total(d) > 0);
  const details = root.append('details');
  details.append('summary').text('The same numbers as a table');
  if (!withReviews.length) {
    details.append('p').text('No reviews in the last 30 days yet.');
    return;
  }
  const table = details.append('table');
  table.append('caption').attr('class', 'visually-hidden').text('Reviews per day');
  const head = table.append('thead').append('tr');
  for (const h of ['Day', 'Again', 'Hard', 'Good', 'Easy', 'Total'])
    head.append('th').attr('scope', 'col').text(h);
  const body = table.append('tbody');
  for (const d of withReviews) {
    const tr = body.append('tr');
    tr.append('th').attr('scope', 'row').text(day(d.start));
    for (const v of [d.again, d.hard, d.good, d.easy, total(d)]) tr.append('td').text(String(v));
  }
}
