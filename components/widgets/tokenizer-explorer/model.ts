/**
 * The tokenizer explorer's pure logic (no DOM): train the three tokenizers of src/lib/tokenize on a
 * training text, encode the learner's text with each, and cut the results down to what a page can draw.
 * Runs in a Web Worker (worker.ts) so a 1 MB paste never blocks typing; unit-tested in Node.
 */
import { decodeBpe, encodeBpe, trainBpe, type BpeMerge, type BpeModel } from '../../../src/lib/tokenize/bpe';
import { buildCharVocab, decodeChars, encodeChars } from '../../../src/lib/tokenize/char';
import type { Segmentation } from '../../../src/lib/tokenize/units';
import { buildWordVocab, decodeWords, encodeWords, tokenizeWords } from '../../../src/lib/tokenize/word';

/** Characters (code points) of the learner's text that are tokenized; the rest is ignored, and we say so. */
export const ANALYSE_CAP = 100_000;
/** Characters of the learner's text BPE learns its merges from (training is O(merges × length)). */
export const TRAIN_CAP = 20_000;
/** Tokens drawn as chips per tokenizer. */
export const DRAW_CAP = 2_000;
/** Characters of decoded text sent back for display. */
export const DECODED_CAP = 5_000;
/** Most BPE merges a learner may ask for. */
export const MAX_MERGES = 300;

/** The built-in training sample: our own short passage, with the chapter's low/lower/lowest family. */
export const SAMPLE_TEXT = [
  'A tokenizer cuts text into pieces and gives every piece a number. The lowest level is the single',
  'character: small alphabet, long sequences. Words are the other extreme: short sequences, but a huge',
  'vocabulary, and any new word is unknown. Byte-pair encoding sits in between. It starts from',
  'characters and merges the most frequent pair again and again, so that frequent words become one',
  'token and rare words are written with a few known pieces.',
  '',
  'The lower tower was newer than the lowest wall, and the widest road was wider than the narrow one.',
  'The newest tokens are the longest ones; the oldest are single letters. We learn, we lower, we widen,',
  'we tokenize; then the model reads the tokens one by one and predicts the next one.',
].join('\n');

/** What to train on. */
export type TrainingSource = 'sample' | 'text';

/** A request from the view. */
export interface ExplorerRequest {
  text: string;
  trainOn: TrainingSource;
  segmentation: Segmentation;
  merges: number;
}

/** One token as the view draws it: its text, id, UTF-16 span [start, end) in the analysed text. */
export interface TokenView {
  text: string;
  id: number;
  start: number;
  end: number;
  unknown: boolean;
}

/** One tokenizer's result on the analysed text. */
export interface TokenizerResult {
  /** The first DRAW_CAP tokens. */
  tokens: TokenView[];
  /** All tokens of the analysed text. */
  tokenCount: number;
  /** Ids in the vocabulary, including the unknown token. */
  vocabSize: number;
  /** Tokens that were unknown, and up to 12 distinct unknown texts. */
  unknownCount: number;
  unknownExamples: string[];
  /** decode(encode(text)), cut to DECODED_CAP UTF-16 units. */
  decoded: string;
  decodedLength: number;
  /** decode(encode(text)) === text. */
  exact: boolean;
  /** tokenCount / characters (code points) of the analysed text. */
  tokensPerChar: number;
}

/** The full analysis the view renders. */
export interface Analysis {
  /** Code points of the learner's whole text. */
  inputChars: number;
  /** The text that was tokenized: the first ANALYSE_CAP code points. */
  analysed: string;
  analysedChars: number;
  /** Code points of the training text actually used, and whether it was cut to TRAIN_CAP (BPE only). */
  trainChars: number;
  trainTruncated: boolean;
  char: TokenizerResult;
  word: TokenizerResult;
  bpe: TokenizerResult;
  /** The trained BPE model (for stepping through its merges). */
  bpeModel: BpeModel;
  /** Merges asked for vs learned (training stops when no pair occurs twice). */
  mergesRequested: number;
}

/** Number of code points in a string (what Python's len() counts; a lone surrogate counts as one). */
export function countCodePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first n code points of a string, and how many code points the whole string has. */
export function firstCodePoints(text: string, n: number): { text: string; total: number } {
  let units = 0;
  let count = 0;
  while (units < text.length && count < n) {
    units += text.codePointAt(units)! > 0xffff ? 2 : 1;
    count++;
  }
  if (units === text.length) return { text, total: count };
  return { text: text.slice(0, units), total: count + countCodePoints(text.slice(units)) };
}

/** Attach UTF-16 spans to a sequence of token lengths. */
function withSpans(
  texts: readonly string[],
  ids: readonly number[],
  lengths: readonly number[],
  isUnknown: (i: number) => boolean,
): TokenView[] {
  const out: TokenView[] = [];
  let offset = 0;
  const n = Math.min(texts.length, DRAW_CAP);
  for (let i = 0; i < n; i++) {
    out.push({ text: texts[i], id: ids[i], start: offset, end: offset + lengths[i], unknown: isUnknown(i) });
    offset += lengths[i];
  }
  return out;
}

function distinctExamples(texts: Iterable<string>, max = 12): string[] {
  const seen = new Set<string>();
  for (const t of texts) {
    if (seen.size >= max) break;
    seen.add(t);
  }
  return [...seen];
}

function finish(
  tokens: TokenView[],
  tokenCount: number,
  vocabSize: number,
  unknownTexts: string[],
  decoded: string,
  analysed: string,
  analysedChars: number,
): TokenizerResult {
  return {
    tokens,
    tokenCount,
    vocabSize,
    unknownCount: unknownTexts.length,
    unknownExamples: distinctExamples(unknownTexts),
    decoded: decoded.slice(0, DECODED_CAP),
    decodedLength: decoded.length,
    exact: decoded === analysed,
    tokensPerChar: analysedChars === 0 ? 0 : tokenCount / analysedChars,
  };
}

/** Encode with a BPE model and return the tokens with spans (an unknown token spans its original character). */
export function bpeTokenViews(
  model: BpeModel,
  text: string,
): { views: TokenView[]; count: number; ids: number[] } {
  const enc = encodeBpe(model, text);
  // Unknown units are never merged, so each unknown id stands for exactly one original unit, in order.
  const unknownLengths = enc.unknown.map((u) => u.text.length);
  let k = 0;
  const lengths = enc.ids.map((id, i) => (id === model.unkId ? unknownLengths[k++] : enc.tokens[i].length));
  k = 0;
  const texts = enc.ids.map((id, i) => (id === model.unkId ? enc.unknown[k++].text : enc.tokens[i]));
  return {
    views: withSpans(texts, enc.ids, lengths, (i) => enc.ids[i] === model.unkId),
    count: enc.ids.length,
    ids: enc.ids,
  };
}

/** Train on the chosen source and tokenize the learner's text three ways. */
export function analyse(req: ExplorerRequest): Analysis {
  const merges = Math.max(0, Math.min(MAX_MERGES, Math.floor(req.merges)));
  const { text: analysed, total: inputChars } = firstCodePoints(req.text, ANALYSE_CAP);
  const analysedChars = Math.min(inputChars, ANALYSE_CAP);
  const source = req.trainOn === 'sample' ? SAMPLE_TEXT : analysed;
  const { text: bpeTrain, total: sourceChars } = firstCodePoints(source, TRAIN_CAP);
  const segmentation = req.segmentation;

  // Characters: the notes' sorted(set(text)) vocabulary of the training text, plus the unknown id.
  const charVocab = buildCharVocab(source, { segmentation });
  const charEnc = encodeChars(charVocab, analysed);
  const char = finish(
    withSpans(
      charEnc.units,
      charEnc.ids,
      charEnc.units.map((u) => u.length),
      (i) => charEnc.ids[i] === charVocab.unkId,
    ),
    charEnc.ids.length,
    charVocab.size,
    charEnc.unknown.map((u) => u.text),
    decodeChars(charVocab, charEnc.ids),
    analysed,
    analysedChars,
  );

  // Words: every word of the training text gets an id; id 0 is the unknown word.
  const wordVocab = buildWordVocab(tokenizeWords(source).map((t) => t.text));
  const wordEnc = encodeWords(wordVocab, analysed);
  const wordViews: TokenView[] = wordEnc.tokens.slice(0, DRAW_CAP).map((t, i) => ({
    text: t.text,
    id: wordEnc.ids[i],
    start: t.start,
    end: t.end,
    unknown: wordEnc.ids[i] === wordVocab.unkId,
  }));
  const word = finish(
    wordViews,
    wordEnc.ids.length,
    wordVocab.itos.length,
    wordEnc.unknown.map((u) => u.text),
    decodeWords(wordVocab, wordEnc.ids),
    analysed,
    analysedChars,
  );

  // BPE: merges learned on (at most TRAIN_CAP characters of) the training text.
  const bpeModel = trainBpe(bpeTrain, merges, { segmentation });
  const bpeEnc = bpeTokenViews(bpeModel, analysed);
  const bpeUnknown = bpeEnc.ids.filter((id) => id === bpeModel.unkId).length;
  const bpe = finish(
    bpeEnc.views,
    bpeEnc.count,
    bpeModel.vocab.length,
    [],
    decodeBpe(bpeModel, bpeEnc.ids),
    analysed,
    analysedChars,
  );
  bpe.unknownCount = bpeUnknown;
  bpe.unknownExamples = distinctExamples(bpeEnc.views.filter((v) => v.unknown).map((v) => v.text));

  return {
    inputChars,
    analysed,
    analysedChars,
    trainChars: Math.min(sourceChars, TRAIN_CAP),
    trainTruncated: sourceChars > TRAIN_CAP,
    char,
    word,
    bpe,
    bpeModel,
    mergesRequested: merges,
  };
}

/** The model with only its first `count` merges (vocabulary cut to match): encoding replays those merges. */
export function firstMerges(model: BpeModel, count: number): BpeModel {
  const n = Math.max(0, Math.min(model.merges.length, Math.floor(count)));
  return { ...model, merges: model.merges.slice(0, n), vocab: model.vocab.slice(0, model.unkId + 1 + n) };
}

/** One step of the merge walk-through: the merge just applied (null at step 0) and the text's tokens after it. */
export interface MergeStep {
  merge: BpeMerge | null;
  tokens: TokenView[];
  tokenCount: number;
}

/** Tokens of `text` after the first `step` merges of `model`. */
export function mergeStep(model: BpeModel, text: string, step: number): MergeStep {
  const cut = firstMerges(model, step);
  const { views, count } = bpeTokenViews(cut, text);
  return {
    merge: cut.merges.length > 0 ? cut.merges[cut.merges.length - 1] : null,
    tokens: views,
    tokenCount: count,
  };
}
