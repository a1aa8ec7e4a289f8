import { describe, expect, it } from 'vitest';
import { encodeBpe, trainBpe } from '../../../src/lib/tokenize/bpe';
import { buildCharVocab, encodeChars } from '../../../src/lib/tokenize/char';
import { buildWordVocab, encodeWords, tokenizeWords } from '../../../src/lib/tokenize/word';
import {
  highlightWindow,
  spokenToken,
  visibleToken,
} from '../../../components/widgets/tokenizer-explorer/display';
import {
  ANALYSE_CAP,
  DRAW_CAP,
  SAMPLE_TEXT,
  TRAIN_CAP,
  analyse,
  countCodePoints,
  firstCodePoints,
  firstMerges,
  mergeStep,
  type ExplorerRequest,
  type TokenView,
} from '../../../components/widgets/tokenizer-explorer/model';

const req = (text: string, over: Partial<ExplorerRequest> = {}): ExplorerRequest => ({
  text,
  trainOn: 'sample',
  segmentation: 'codepoint',
  merges: 30,
  ...over,
});

/** Every token's span, read back from the text, is the token (unknown tokens keep their original text). */
function expectSpansCover(tokens: TokenView[], text: string, contiguous: boolean) {
  let end = 0;
  for (const t of tokens) {
    expect(text.slice(t.start, t.end)).toBe(t.text);
    if (contiguous) expect(t.start).toBe(end);
    end = t.end;
  }
}

describe('tokenizer explorer model', () => {
  it('gives the ids src/lib gives, trained on the built-in sample', () => {
    const text = 'The newest tower is lower, naïve café 👩‍💻.';
    const a = analyse(req(text));
    const charVocab = buildCharVocab(SAMPLE_TEXT);
    expect(a.char.tokens.map((t) => t.id)).toEqual(encodeChars(charVocab, text).ids);
    expect(a.char.vocabSize).toBe(charVocab.size);
    const wordVocab = buildWordVocab(tokenizeWords(SAMPLE_TEXT).map((t) => t.text));
    expect(a.word.tokens.map((t) => t.id)).toEqual(encodeWords(wordVocab, text).ids);
    const bpe = trainBpe(SAMPLE_TEXT, 30);
    expect(a.bpe.tokens.map((t) => t.id)).toEqual(encodeBpe(bpe, text).ids);
    expect(a.bpe.vocabSize).toBe(bpe.vocab.length);
    expectSpansCover(a.char.tokens, text, true);
    expectSpansCover(a.bpe.tokens, text, true);
    expectSpansCover(a.word.tokens, text, false);
  });

  it('marks unseen characters as unknown instead of dropping them', () => {
    const a = analyse(req('café 👩‍💻'));
    const unknown = a.char.tokens.filter((t) => t.unknown).map((t) => t.text);
    expect(unknown).toEqual(['é', '👩', '\u200d', '💻']);
    expect(a.char.unknownCount).toBe(4);
    expect(a.char.tokens).toHaveLength(countCodePoints('café 👩‍💻'));
    expect(a.char.exact).toBe(false);
    expect(a.char.decoded).toBe('caf\uFFFD \uFFFD\uFFFD\uFFFD');
    expect(a.bpe.unknownCount).toBe(4);
    expect(a.bpe.tokens.filter((t) => t.unknown).map((t) => t.text)).toEqual(['é', '👩', '\u200d', '💻']);
    expect(a.word.tokens.filter((t) => t.unknown).map((t) => t.text)).toEqual(['café', '👩‍💻']);
  });

  it('round-trips exactly when trained on the text itself', () => {
    const text = 'שלום world\n\ttab <script>alert(1)</script> 👩‍💻 e\u0301';
    const a = analyse(req(text, { trainOn: 'text' }));
    expect(a.char.exact).toBe(true);
    expect(a.bpe.exact).toBe(true);
    expect(a.char.unknownCount).toBe(0);
    expect(a.bpe.unknownCount).toBe(0);
    // Words join with spaces: spacing is not restored.
    expect(a.word.exact).toBe(false);
    expect(a.char.tokensPerChar).toBe(1);
  });

  it('keeps an emoji ZWJ sequence whole when a character is a grapheme', () => {
    const a = analyse(req('a👩‍💻b', { trainOn: 'text', segmentation: 'grapheme' }));
    expect(a.char.tokens.map((t) => t.text)).toEqual(['a', '👩‍💻', 'b']);
    expect(a.char.tokensPerChar).toBeCloseTo(3 / 5, 12);
  });

  it('handles empty input', () => {
    const a = analyse(req(''));
    expect(a.inputChars).toBe(0);
    expect(a.char.tokenCount).toBe(0);
    expect(a.word.tokenCount).toBe(0);
    expect(a.bpe.tokenCount).toBe(0);
    expect(a.char.exact).toBe(true);
    expect(a.char.tokensPerChar).toBe(0);
    const own = analyse(req('', { trainOn: 'text' }));
    expect(own.bpeModel.merges).toHaveLength(0);
  });

  it('caps a 1 MB paste: tokenizes the first ANALYSE_CAP characters, draws DRAW_CAP tokens, trains on TRAIN_CAP', () => {
    const big = 'lower tower newest 😀 '.repeat(50_000);
    const a = analyse(req(big, { trainOn: 'text', merges: 20 }));
    expect(a.inputChars).toBe(countCodePoints(big));
    expect(a.analysedChars).toBe(ANALYSE_CAP);
    expect(countCodePoints(a.analysed)).toBe(ANALYSE_CAP);
    expect(a.char.tokenCount).toBe(ANALYSE_CAP);
    expect(a.char.tokens).toHaveLength(DRAW_CAP);
    expect(a.bpe.tokens.length).toBeLessThanOrEqual(DRAW_CAP);
    expect(a.trainTruncated).toBe(true);
    expect(a.trainChars).toBe(TRAIN_CAP);
    expect(a.char.decoded.length).toBeLessThan(10_000);
  });

  it('counts and cuts code points without splitting surrogate pairs', () => {
    expect(countCodePoints('a😀b')).toBe(3);
    expect(countCodePoints('\ud800x')).toBe(2); // a lone surrogate counts as one, like Python
    expect(firstCodePoints('a😀b😀', 2)).toEqual({ text: 'a😀', total: 4 });
    expect(firstCodePoints('ab', 5)).toEqual({ text: 'ab', total: 2 });
  });

  it('replays merges one by one: step 0 is the base characters, the last step is the full encoding', () => {
    const model = trainBpe('low lower lowest', 10);
    expect(model.merges.map((m) => m.token)).toEqual(['lo', 'low', ' low', ' lowe']);
    const text = 'lowest slow';
    const zero = mergeStep(model, text, 0);
    expect(zero.merge).toBeNull();
    expect(zero.tokens.map((t) => t.text)).toEqual([...text]);
    const two = mergeStep(model, text, 2);
    expect(two.merge?.token).toBe('low');
    expect(two.tokens.map((t) => t.text)).toEqual(encodeBpe(firstMerges(model, 2), text).tokens);
    const all = mergeStep(model, text, model.merges.length);
    expect(all.tokens.map((t) => t.id)).toEqual(encodeBpe(model, text).ids);
    expect(firstMerges(model, 99).merges).toHaveLength(4);
  });
});

describe('tokenizer explorer display', () => {
  it.each([
    [' ', '␣'],
    ['\n', '␊'],
    ['\t', '␉'],
    ['\r', '␍'],
    ['\u0000', '␀'],
    ['\u007f', '␡'],
    ['\u200d', '⟨ZWJ⟩'],
    ['\u202e', '⟨RLO⟩'],
    ['\ufe0f', '⟨VS16⟩'],
    ['\u0301', '◌\u0301'],
    ['the ', 'the␣'],
    ['<b>', '<b>'],
    ['', '∅'],
  ])('shows invisible characters visibly: %j as %s', (text, want) => {
    expect(visibleToken(text)).toBe(want);
  });

  it.each([
    ['👩‍💻', '👩‍💻'],
    ['e\u0301', 'e\u0301'],
    ['👩\u200d', '👩⟨ZWJ⟩'],
  ])('keeps whole emoji sequences and composed letters as they are: %j', (text, want) => {
    expect(visibleToken(text)).toBe(want);
  });

  it.each([
    [' ', 'space'],
    ['\n', 'line feed'],
    ['\u200d', 'zero-width joiner U+200D'],
    ['a', '“a”'],
    ['a b', '“a␣b”'],
  ])('names invisible characters for screen readers: %j as %s', (text, want) => {
    expect(spokenToken(text)).toBe(want);
  });

  it('cuts a window around a span without splitting surrogate pairs', () => {
    const text = `${'x'.repeat(10)}😀target😀${'y'.repeat(10)}`;
    const start = text.indexOf('target');
    const w = highlightWindow(text, start, start + 6, 1);
    expect(w.mark).toBe('target');
    expect(w.before).toBe('😀');
    expect(w.after).toBe('😀');
    expect(w.cutStart).toBe(true);
    expect(w.cutEnd).toBe(true);
    const all = highlightWindow('abc', 1, 2);
    expect(all).toEqual({ before: 'a', mark: 'b', after: 'c', cutStart: false, cutEnd: false });
  });
});
