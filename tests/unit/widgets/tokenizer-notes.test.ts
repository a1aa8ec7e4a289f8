import { describe, expect, test } from 'vitest';
import {
  analyse,
  mergeStep,
  type ExplorerRequest,
} from '../../../components/widgets/tokenizer-explorer/model';
import {
  analysisNotes,
  chipsLabel,
  stepNote,
  unknownNote,
} from '../../../components/widgets/tokenizer-explorer/notes';

const req = (over: Partial<ExplorerRequest> = {}): ExplorerRequest => ({
  text: 'low lower lowest',
  trainOn: 'text',
  segmentation: 'codepoint',
  merges: 2,
  ...over,
});

describe('the tokenizer explorer’s sentences, without the DOM', () => {
  test('empty text is named; a usable text gives no status note', () => {
    expect(analysisNotes(analyse(req({ text: '' })))).toMatch(/^The text is empty/);
    expect(analysisNotes(analyse(req()))).toBe('');
  });

  test('merges that run out are counted', () => {
    const a = analyse(req({ text: 'abab', merges: 50 }));
    expect(analysisNotes(a)).toMatch(
      new RegExp(
        `^BPE stopped after ${a.bpeModel.merges.length} of 50 merges: no pair occurs twice any more\\.$`,
      ),
    );
  });

  test('unknown tokens are counted, shown and explained; word decoding names the lost spacing', () => {
    const a = analyse(req({ text: 'zz', trainOn: 'sample', merges: 0 }));
    const note = unknownNote('char', a.char, true);
    if (a.char.unknownCount > 0) {
      expect(note).toMatch(
        /unknown tokens? \(not in the training text\).*They decode to �\. Train on your text/,
      );
      expect(unknownNote('char', a.char, false)).not.toMatch(/Train on your text/);
    }
    expect(unknownNote('word', analyse(req()).word, false)).toBe(
      'Decoding joins words with single spaces, so the original spacing is lost.',
    );
    expect(unknownNote('char', analyse(req()).char, false)).toBe('');
  });

  test('the chip list says how many tokens it holds', () => {
    const a = analyse(req());
    expect(chipsLabel('char', a.char)).toBe(`Character tokens, ${a.char.tokenCount}; arrow keys move`);
  });

  test('the walk-through names the merge applied, or that none was', () => {
    const a = analyse(req());
    const none = mergeStep(a.bpeModel, a.analysed, 0);
    expect(stepNote(a, 0, none, 2000)).toBe(
      `No merges applied: your text is ${none.tokenCount} base tokens (16 characters).`,
    );
    const one = mergeStep(a.bpeModel, a.analysed, 1);
    expect(stepNote(a, 1, one, 2000)).toMatch(
      /^Merge 1 of \d+: .* → .* \(id \d+; the pair occurred \d+ times in training\)\. After 1 merge, your text is \d+ tokens/,
    );
    expect(stepNote(a, 0, none, 4)).toContain('the first 4 characters of your text');
  });
});
