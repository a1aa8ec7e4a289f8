import { describe, expect, it } from 'vitest';
import { createPlateauState, plateauStep, type PlateauConfig } from '../../../src/lib/index';
import { readChapters } from './chapter-files';

const all = readChapters();
const chapters = new Map(all.map((c) => [c.id, c.body]));
/** Body and frontmatter (the flashcards' answers) of a chapter as one text. */
const fullText = (id: string) => {
  const c = all.find((ch) => ch.id === id)!;
  return JSON.stringify(c.frontmatter) + c.body;
};

/** The rows of the first Markdown table in `body` after the line containing `marker`, as trimmed cells. */
function tableAfter(body: string, marker: string): string[][] {
  const lines = body.split('\n');
  const start = lines.findIndex((l) => l.includes(marker));
  expect(start, `marker "${marker}"`).toBeGreaterThanOrEqual(0);
  const first = lines.findIndex((l, i) => i > start && l.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    rows.push(
      lines[i]
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe('chapter 8: the ReduceLROnPlateau table is what the scheduler does', () => {
  const rows = tableAfter(chapters.get('08-optimization-and-schedulers')!, 'marks an epoch in cooldown');
  const cfg: PlateauConfig = { factor: 0.1, patience: 2, threshold: 1e-4, cooldown: 1, minLr: 1e-4 };
  let state = createPlateauState([0.1], cfg);
  const replay = rows.map(([, loss]) => {
    const r = plateauStep(state, Number(loss), cfg);
    state = r.state;
    // The table's legend: the count after the step, \* when the epoch fell in cooldown, ↓ on a reduction.
    const count = r.reduced[0] ? cfg.patience! + 1 : r.state.numBadEpochs; // the table shows the count that triggered it
    const bad = `${count}${r.inCooldown ? '\\*' : ''}`;
    const lr = `${Number(r.state.lrs[0].toPrecision(6))}${r.reduced[0] ? ' ↓' : ''}`;
    return [bad, lr];
  });
  it('has sixteen epochs', () => expect(rows).toHaveLength(16));
  it.each(rows.map((row, i) => [row[0], row, replay[i]] as const))(
    'epoch %s: bad count (with * in cooldown) and LR',
    (_epoch, row, expected) => {
      expect([row[2], row[3]]).toEqual(expected);
    },
  );
});

describe('chapter 8: optimizer state buffers', () => {
  it('RMSprop keeps 1 to 3 buffers (square average, momentum, centered gradient average)', () => {
    const body = chapters.get('08-optimization-and-schedulers')!;
    const row = body.split('\n').find((l) => l.startsWith('| RMSprop'));
    expect(row?.split('|')[2].trim()).toBe('1 to 3');
  });
});

describe('chapter 1: the Unicode table lists each cluster’s code points and UTF-8 bytes', () => {
  const rows = tableAfter(chapters.get('01-tokenization')!, 'several code points:');
  it.each(rows.map((r) => [r[0], r] as const))('%s', (_what, [what, points, bytes]) => {
    const cluster = what.split(' (')[0];
    const text = cluster === 'é' && points.includes('0301') ? 'e\u0301' : cluster;
    const listed = points.split(' ').map((u) => String.fromCodePoint(parseInt(u.slice(2), 16)));
    expect([...text]).toEqual(listed);
    expect(new TextEncoder().encode(text).length).toBe(Number(bytes));
  });
  it('says 👩‍💻 is two emoji and a joiner, three code points in all', () => {
    const body = fullText('01-tokenization');
    expect([...'👩‍💻']).toHaveLength(3);
    expect(body).toContain('three code points in all');
    expect(body).not.toMatch(/is three code\s+points joined/);
  });
});

describe('chapters 5, 11 and 12: conventions and costs stated precisely', () => {
  it('chapter 5 names the function whose boolean mask means "may attend", and the opposite convention', () => {
    const body = fullText('05-attention');
    expect(body).toContain('`F.scaled_dot_product_attention`');
    expect(body).toMatch(/`nn\.MultiheadAttention`\s+and `nn\.Transformer` use the opposite convention/);
  });
  it('chapter 11 says F.cross_entropy takes (N, C, d1, ...) and offers transpose(1, 2)', () => {
    const text = fullText('11-capstone');
    expect(text).toContain('(N, C, d1, ...)');
    expect(text).toContain('logits.transpose(1, 2)');
  });
  it('chapter 11 gives training as the causal mask’s main reason, and plt.show blocks only in a script', () => {
    const body = fullText('11-capstone');
    expect(body).toMatch(/It matters mainly for training/);
    expect(body).toMatch(/non-interactive mode\), `plt\.show\(\)` blocks/);
    expect(body).toContain('it returns at once');
  });
  it('chapter 12 keeps attention O(T·C) per layer with a KV cache', () => {
    expect(fullText('12-what-comes-next')).toMatch(/stays \$O\(T \\cdot C\)\$ per layer/);
  });
});
