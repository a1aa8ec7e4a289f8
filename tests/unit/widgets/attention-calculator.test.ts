import { describe, expect, it } from 'vitest';
import {
  computeAttention,
  embeddingMatrix,
  makeParams,
  moveByKey,
  rowSums,
  stageList,
  tokenEmbedding,
  weightMatrix,
  type CalcConfig,
} from '../../../components/widgets/attention-calculator/model';
import {
  DEFAULT_SENTENCE,
  divisors,
  headsMessage,
  MAX_CHARS,
  MAX_TOKENS,
  parseCell,
  parseDk,
  parseSentence,
  tokenLabel,
  variantMessage,
} from '../../../components/widgets/attention-calculator/input';
import { START_CONFIG } from '../../../components/widgets/attention-calculator/config';
import { cellFormula } from '../../../components/widgets/attention-calculator/cell-formulas';
import { num as fmt } from '../../../components/widgets/attention-calculator/formula-text';
import {
  cellLabel,
  heatmapMatrix,
  stageMatrices,
} from '../../../components/widgets/attention-calculator/matrices';
import { stageFormula } from '../../../components/widgets/attention-calculator/stage-formulas';
import { scaledDotProductAttention } from '../../../src/lib/attention/scaled-dot';
import { multiHeadAttention } from '../../../src/lib/attention/multi-head';
import { hardAttention } from '../../../src/lib/attention/hard';
import { additiveAttention } from '../../../src/lib/attention/additive';
import { localAttention } from '../../../src/lib/attention/local';
import { matmul } from '../../../src/lib/matrix';
import { expectClose } from '../helpers/close';

const base: CalcConfig = START_CONFIG;

describe('parseSentence', () => {
  it('starts the calculator on the notes’ sentence', () => {
    expect(base.tokens.join(' ')).toBe(DEFAULT_SENTENCE);
    expect(DEFAULT_SENTENCE).toBe('I love apples a lot');
  });

  it('splits the notes’ sentence into five word tokens', () => {
    const r = parseSentence(DEFAULT_SENTENCE);
    expect(r).toEqual({ ok: true, tokens: ['I', 'love', 'apples', 'a', 'lot'], notes: [] });
  });

  it('rejects empty and whitespace-only input with a message', () => {
    for (const text of ['', '   \n\t ']) {
      const r = parseSentence(text);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/Type a sentence/);
    }
  });

  it(`keeps at most ${MAX_TOKENS} tokens and says so`, () => {
    const r = parseSentence(Array.from({ length: 20 }, (_, i) => `w${i}`).join(' '));
    expect(r.tokens).toHaveLength(MAX_TOKENS);
    expect(r.notes.join(' ')).toMatch(/20 tokens.*first 12/);
  });

  it('reads only the first characters of a 1 MB paste', () => {
    const huge = 'apples '.repeat(150_000);
    const r = parseSentence(huge);
    expect(r.tokens).toHaveLength(MAX_TOKENS);
    expect(r.notes[0]).toMatch(new RegExp(`only the first ${MAX_CHARS.toLocaleString('en')}`));
    expect(r.notes.join(' ')).toMatch(/at least \d+ tokens/);
  });

  it('never splits a surrogate pair when cutting a long paste', () => {
    const r = parseSentence('a'.repeat(MAX_CHARS - 1) + '😀'.repeat(10));
    expect(r.tokens.every((t) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(t))).toBe(true);
  });

  it('treats HTML-looking text as words and says nothing runs', () => {
    const r = parseSentence('<img src=x onerror=alert(1)> hi');
    expect(r.ok).toBe(true);
    expect(r.tokens).toContain('<');
    expect(r.notes.join(' ')).toMatch(/looks like HTML.*nothing in it runs/);
  });

  it('keeps an emoji with zero-width joiners as one token and explains it', () => {
    const family = '👨‍👩‍👧';
    const r = parseSentence(`I love ${family}`);
    expect(r.tokens).toEqual(['I', 'love', family]);
    expect(r.notes.join(' ')).toMatch(/emoji/i);
  });

  it('keeps right-to-left words in typed order and explains it', () => {
    const r = parseSentence('אני אוהב תפוחים');
    expect(r.tokens).toEqual(['אני', 'אוהב', 'תפוחים']);
    expect(r.notes.join(' ')).toMatch(/Right-to-left/);
  });

  it('removes control characters and bidi overrides with a note', () => {
    const r = parseSentence('I\u0000 love\u202E apples\u0007');
    expect(r.tokens).toEqual(['I', 'love', 'apples']);
    expect(r.notes.join(' ')).toMatch(/Removed 3 invisible control characters/);
  });

  it('shortens very long token labels', () => {
    expect(tokenLabel('a'.repeat(40))).toBe(`${'a'.repeat(15)}…`);
    expect(tokenLabel('apples')).toBe('apples');
    expect(parseSentence('a'.repeat(40)).notes.join(' ')).toMatch(/shortened/);
  });
});

describe('parseCell, parseDk, heads', () => {
  it('accepts decimals, exponents and a typographic minus', () => {
    expect(parseCell(' 0.5 ', 'x')).toEqual({ ok: true, value: 0.5 });
    expect(parseCell('-1.25e1', 'x')).toEqual({ ok: true, value: -12.5 });
    expect(parseCell('−2', 'x')).toEqual({ ok: true, value: -2 });
    expect(parseCell('.5', 'x')).toEqual({ ok: true, value: 0.5 });
  });

  it.each([
    ['abc', /must be a number from -1000 to 1000 \(got “abc”\)/],
    ['', /\(it is empty\)/],
    ['0,5', /“0,5” uses a comma/],
    ['Infinity', /\(got “Infinity”\)/],
    ['0x10', /\(got “0x10”\)/],
    ['1e9', /from -1000 to 1000 \(got “1e9”\)/],
    ['<b>1</b>', /\(got “<b>1<\/b>”\)/],
  ])('rejects %j', (text, message) => {
    const r = parseCell(text, 'embedding of apples, dimension 2');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(message);
      expect(r.message).toMatch(/^Embedding of apples, dimension 2/);
    }
  });

  it('explains why d_k = 0 cannot work', () => {
    const r = parseDk('0');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/d_k = 0.*divide by zero/);
    expect(parseDk('3')).toEqual({ ok: true, value: 3 });
    expect(parseDk('65').ok).toBe(false);
  });

  it('says which head counts divide d_model', () => {
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12]);
    expect(headsMessage(2, 4)).toBeNull();
    expect(headsMessage(3, 4)).toMatch(/3 heads do not divide d_model = 4.*one of 1, 2, 4/);
  });

  it('allows only scaled dot-product and local attention with several heads', () => {
    expect(variantMessage('scaled-dot', 2)).toBeNull();
    expect(variantMessage('local', 2)).toBeNull();
    expect(variantMessage('additive', 2)).toMatch(/one head/);
    expect(variantMessage('hard', 1)).toBeNull();
  });
});

describe('seeded parameters', () => {
  it('are deterministic, rounded to 2 decimals, and per word', () => {
    const a = tokenEmbedding(42, 'apples', 8);
    expect(tokenEmbedding(42, 'apples', 8)).toEqual(a);
    expect(tokenEmbedding(43, 'apples', 8)).not.toEqual(a);
    expect(tokenEmbedding(42, 'apples', 4)).toEqual(a.slice(0, 4));
    a.forEach((x) => expect(Math.round(x * 100) / 100).toBe(x));
    const x = embeddingMatrix(42, ['apples', 'I', 'apples'], 8);
    expect(x[0]).toEqual(x[2]);
    expect(x[1]).toEqual(tokenEmbedding(42, 'I', 8));
  });

  it('apply edits to every occurrence of a word, ignoring dimensions beyond d_model', () => {
    const edits = new Map([
      [
        'apples',
        new Map([
          [1, 9],
          [10, 5],
        ]),
      ],
    ]);
    const x = embeddingMatrix(42, ['apples', 'I', 'apples'], 4, edits);
    expect(x[0][1]).toBe(9);
    expect(x[2][1]).toBe(9);
    expect(x[0]).toHaveLength(4);
  });

  it('weights have the requested shape and a 1/√rows spread', () => {
    const w = weightMatrix(1, 'wq', 64, 64);
    expect(w).toHaveLength(64);
    expect(w[0]).toHaveLength(64);
    const flat = w.flat();
    const sd = Math.sqrt(flat.reduce((s, v) => s + v * v, 0) / flat.length);
    expect(sd).toBeGreaterThan(0.09);
    expect(sd).toBeLessThan(0.16);
  });
});

describe('computeAttention equals src/lib', () => {
  const x = embeddingMatrix(base.seed, base.tokens, base.dModel);

  it('scaled dot-product, with and without the causal mask and the scale', () => {
    for (const causal of [false, true]) {
      for (const scaled of [true, false]) {
        const c = { ...base, causal, scaled };
        const p = makeParams(c);
        const r = computeAttention(c, x, p);
        const want = scaledDotProductAttention(matmul(x, p.wq), matmul(x, p.wk), matmul(x, p.wv), {
          causal,
          scale: scaled ? undefined : 1,
        });
        expectClose(r.heads[0].weights, want.weights, 0, 0);
        expectClose(r.output, want.output, 0, 0);
        rowSums(r.heads[0].weights).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-6));
      }
    }
  });

  it('multi-head: per-head stages, concatenation and W_O', () => {
    const c = { ...base, heads: 2, dk: 2, causal: true };
    const p = makeParams(c);
    expect(p.wq[0]).toHaveLength(4);
    const r = computeAttention(c, x, p);
    const want = multiHeadAttention(x, { wq: p.wq, wk: p.wk, wv: p.wv, wo: p.wo! }, 2, { causal: true });
    expect(r.heads).toHaveLength(2);
    expect(r.heads[0].dk).toBe(2);
    expectClose(r.concat!, want.concat, 0, 0);
    expectClose(r.output, want.output, 0, 0);
  });

  it('local window (one head and several heads)', () => {
    const c = { ...base, variant: 'local' as const, window: 1 };
    const p = makeParams(c);
    const r = computeAttention(c, x, p);
    const want = localAttention(matmul(x, p.wq), matmul(x, p.wk), matmul(x, p.wv), 1);
    expectClose(r.heads[0].weights, want.weights, 0, 0);
    expect(r.heads[0].weights[0][3]).toBe(0);
    const m = computeAttention({ ...c, heads: 2, dk: 2 }, x);
    expect(m.heads[1].masked[0][2]).toBe(-Infinity);
  });

  it('additive, multiplicative and hard variants', () => {
    const add = { ...base, variant: 'additive' as const };
    const pa = makeParams(add);
    const ra = computeAttention(add, x, pa);
    const wa = additiveAttention(matmul(x, pa.wq), matmul(x, pa.wk), matmul(x, pa.wv), pa.additive!);
    expectClose(ra.heads[0].weights, wa.weights, 0, 0);
    expect(ra.heads[0].scale).toBe(1);

    const gen = computeAttention({ ...base, variant: 'multiplicative' }, x);
    expectClose(gen.heads[0].transformedQ!, matmul(gen.q, gen.params.luongW!), 0, 0);
    expectClose(gen.heads[0].scores, matmul(gen.heads[0].transformedQ!, transposeOf(gen.k)), 1e-12, 1e-12);
    const dot = computeAttention({ ...base, variant: 'multiplicative', luong: 'dot' }, x);
    expectClose(dot.heads[0].scores, matmul(dot.q, transposeOf(dot.k)), 1e-12, 1e-12);
    expect(dot.heads[0].scale).toBe(1);

    const hard = { ...base, variant: 'hard' as const };
    const ph = makeParams(hard);
    const rh = computeAttention(hard, x, ph);
    const wh = hardAttention(matmul(x, ph.wq), matmul(x, ph.wk), matmul(x, ph.wv));
    expect(rh.heads[0].argmax).toEqual(wh.argmax);
    rh.heads[0].hardWeights!.forEach((row) => expect(row.reduce((a, b) => a + b)).toBe(1));
  });

  it('T = 8, d = 64 computes with rows that sum to 1', () => {
    const tokens = 'one two three four five six seven eight'.split(' ');
    const c = { ...base, tokens, dModel: 64, dk: 64 };
    const r = computeAttention(c, embeddingMatrix(1, tokens, 64));
    expect(r.output).toHaveLength(8);
    rowSums(r.heads[0].weights).forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(1e-6));
  });
});

function transposeOf(m: number[][]): number[][] {
  return m[0].map((_, j) => m.map((row) => row[j]));
}

describe('stages and formulas', () => {
  const x = embeddingMatrix(base.seed, base.tokens, base.dModel);

  it('lists the stages of each mode', () => {
    expect(
      stageList(base)
        .map((s) => s.id)
        .join(' '),
    ).toBe('embed project scores scale mask softmax sum');
    expect(stageList({ ...base, variant: 'hard' }).at(-1)!.id).toBe('hard');
    expect(
      stageList({ ...base, heads: 2 })
        .slice(-2)
        .map((s) => s.id),
    ).toEqual(['concat', 'out']);
    expect(stageList({ ...base, causal: true }).find((s) => s.id === 'mask')!.label).toBe('Causal mask');
    expect(stageList({ ...base, variant: 'additive' }).find((s) => s.id === 'scale')!.label).toBe(
      'Scale (none)',
    );
  });

  it('never prints "+ −x" in a written-out sum: a negative term after + is parenthesized', () => {
    for (const c of [base, { ...base, variant: 'additive' as const }]) {
      const r = computeAttention(c, x);
      const n = c.tokens.length;
      let checked = 0;
      for (const matrix of ['scores', 'q', 'sum', 'output'] as const)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < 2; j++) {
            let f;
            try {
              f = cellFormula(r, 0, { matrix, i, j });
            } catch {
              continue; // a matrix this variant does not have
            }
            if (!f) continue;
            checked++;
            expect(f.text).not.toMatch(/\+ −/);
            expect(f.tex).not.toMatch(/\+ -/);
          }
      expect(checked).toBeGreaterThan(0);
    }
  });

  it('every stage has a formula and matrices with matching labels', () => {
    for (const c of [base, { ...base, heads: 2, dk: 2 }, { ...base, variant: 'hard' as const }]) {
      const r = computeAttention(c, x);
      for (const { id } of stageList(c)) {
        const f = stageFormula(r, id);
        expect(f.tex.length).toBeGreaterThan(5);
        for (const spec of stageMatrices(r, id, c.heads - 1)) {
          expect(spec.rows).toHaveLength(spec.values.length);
          expect(spec.cols).toHaveLength(spec.values[0].length);
          for (let i = 0; i < spec.values.length; i++) {
            for (let j = 0; j < spec.values[0].length; j++) {
              const cf = cellFormula(r, c.heads - 1, { matrix: spec.name, i, j });
              expect(cf.tex).not.toMatch(/NaN|undefined/);
              expect(cf.text).not.toMatch(/NaN|undefined/);
            }
          }
        }
      }
    }
  });

  it('substitutes the numbers of a softmax cell (the notes’ W_ai)', () => {
    const r = computeAttention(base, x);
    const s = r.heads[0].scaled[2];
    const f = cellFormula(r, 0, { matrix: 'weights', i: 2, j: 0 });
    const denom = s.reduce((a, v) => a + Math.exp(v), 0);
    expect(f.tex).toContain(`e^{${fmt(s[0]).replace('−', '-')}}`);
    expect(f.text).toContain(
      `= ${fmt(Math.exp(s[0]), 4)} / ${fmt(denom, 4)} = ${fmt(r.heads[0].weights[2][0], 4)}`,
    );
    expect(f.words).toMatch(/“apples” gives key “I” weight/);
  });

  it('explains a masked cell and shifts huge exponents', () => {
    const r = computeAttention({ ...base, causal: true }, x);
    expect(cellFormula(r, 0, { matrix: 'masked', i: 0, j: 3 }).text).toMatch(
      /−∞ \(key 4 comes after query 1\)/,
    );
    expect(cellFormula(r, 0, { matrix: 'weights', i: 0, j: 3 }).text).toMatch(/= 0$/);
    const big = embeddingMatrix(base.seed, base.tokens, 4).map((row) => row.map((v) => v * 200));
    const rb = computeAttention(base, big);
    const f = cellFormula(rb, 0, { matrix: 'weights', i: 1, j: 1 });
    expect(f.text).not.toMatch(/∞|NaN/);
  });

  it('heatmap matrices and cell labels', () => {
    const r = computeAttention({ ...base, variant: 'hard' }, x);
    expect(heatmapMatrix(r.heads[0], 'scores')).toEqual({
      values: r.heads[0].scores,
      probabilities: false,
      hidden: null,
    });
    expect(heatmapMatrix(r.heads[0], 'hard').values).toBe(r.heads[0].hardWeights);
    expect(heatmapMatrix(r.heads[0], 'embed').values).toBe(r.heads[0].weights);
    const spec = stageMatrices(r, 'softmax', 0)[0];
    expect(cellLabel(spec, 2, 0)).toBe(
      `A, query “apples” (3), key “I” (1): ${fmt(r.heads[0].weights[2][0], 4)}`,
    );
  });

  it('formats numbers without negative zero and with a real minus sign', () => {
    expect(fmt(-0.0001)).toBe('0.000');
    expect(fmt(-1.5)).toBe('−1.500');
    expect(fmt(-Infinity)).toBe('−∞');
  });

  it('moves the roving focus with arrow keys, Home and End', () => {
    expect(moveByKey('ArrowRight', 0, 0, 3, 3)).toEqual([0, 1]);
    expect(moveByKey('ArrowLeft', 0, 0, 3, 3)).toEqual([0, 0]);
    expect(moveByKey('ArrowDown', 2, 1, 3, 3)).toEqual([2, 1]);
    expect(moveByKey('End', 1, 0, 3, 4)).toEqual([1, 3]);
    expect(moveByKey('Home', 2, 2, 3, 3, true)).toEqual([0, 0]);
    expect(moveByKey('a', 0, 0, 3, 3)).toBeNull();
  });
});
