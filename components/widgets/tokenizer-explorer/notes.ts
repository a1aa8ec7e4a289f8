/**
 * The tokenizer explorer's sentences, without the DOM: what the status line says about an analysis, why a
 * panel's round trip is not exact, the chip list's label, and the merge walk-through's note.
 * Unit-tested in tests/unit/widgets/tokenizer-notes.test.ts.
 */
import { isolatedList } from '../shared/bidi';
import { TITLES, type Kind } from './chip';
import { countOf, formatCount, visibleToken } from './display';
import {
  ANALYSE_CAP,
  DRAW_CAP,
  TRAIN_CAP,
  type Analysis,
  type MergeStep,
  type TokenizerResult,
} from './model';

/** What the status line says about an analysis: empty text, the caps that applied, merges that ran out. */
export function analysisNotes(a: Analysis): string {
  const notes: string[] = [];
  if (a.inputChars === 0) notes.push('The text is empty: type or paste something to tokenize.');
  if (a.inputChars > ANALYSE_CAP) {
    notes.push(
      `Your text has ${formatCount(a.inputChars)} characters; to stay responsive the explorer tokenizes the first ${formatCount(ANALYSE_CAP)}.`,
    );
  }
  if (a.trainTruncated) {
    notes.push(`BPE learned its merges from the first ${formatCount(TRAIN_CAP)} characters of your text.`);
  }
  if (a.bpeModel.merges.length < a.mergesRequested) {
    notes.push(
      `BPE stopped after ${a.bpeModel.merges.length} of ${a.mergesRequested} merges: no pair occurs twice any more.`,
    );
  }
  return notes.join(' ');
}

/** Why a panel's decoded text differs from the input (unknown tokens, lost word spacing); empty when it does not. */
export function unknownNote(kind: Kind, r: TokenizerResult, trainedOnSample: boolean): string {
  const why: string[] = [];
  if (r.unknownCount > 0) {
    // each example isolated: a list of Arabic characters would otherwise read right to left
    const examples = isolatedList(r.unknownExamples.map(visibleToken), ' ');
    why.push(
      `${formatCount(r.unknownCount)} unknown ${r.unknownCount === 1 ? 'token' : 'tokens'} (not in the training text): ${examples}. They decode to ${kind === 'word' ? '⟨unk⟩' : '�'}.` +
        (trainedOnSample ? ' Train on your text to give them ids.' : ''),
    );
  }
  if (kind === 'word' && r.tokenCount > 0)
    why.push('Decoding joins words with single spaces, so the original spacing is lost.');
  return why.join(' ');
}

/** The accessible name of a panel's chip list (how many tokens, how many shown, how to move). */
export function chipsLabel(kind: Kind, r: TokenizerResult): string {
  return r.tokenCount > DRAW_CAP
    ? `${TITLES[kind]} tokens, first ${formatCount(DRAW_CAP)} of ${formatCount(r.tokenCount)}; arrow keys move`
    : `${TITLES[kind]} tokens, ${formatCount(r.tokenCount)}; arrow keys move`;
}

/**
 * The walk-through's note after `step` of `total` merges over the first `cap` characters of the analysed
 * text: which merge was applied and how often its token now appears, or that none was.
 */
export function stepNote(a: Analysis, step: number, result: MergeStep, cap: number): string {
  const total = a.bpeModel.merges.length;
  const shownChars = Math.min(a.analysedChars, cap);
  const where = a.analysedChars > cap ? `the first ${formatCount(cap)} characters of your text` : 'your text';
  if (!result.merge) {
    return `No merges applied: ${where} is ${countOf(result.tokenCount, 'base token')} (${countOf(shownChars, 'character')}).`;
  }
  const m = result.merge;
  const uses = result.tokens.filter((t) => t.id === m.id).length;
  return (
    `Merge ${m.rank + 1} of ${total}: ${visibleToken(m.parts[0])} + ${visibleToken(m.parts[1])} → ${visibleToken(m.token)} ` +
    `(id ${m.id}; the pair occurred ${m.count} times in training). ` +
    `After ${step} ${step === 1 ? 'merge' : 'merges'}, ${where} is ${formatCount(result.tokenCount)} tokens; ` +
    `the new token appears ${uses} ${uses === 1 ? 'time' : 'times'}${result.tokens.length < result.tokenCount ? ' in those shown' : ''}.`
  );
}
