import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNNING, VOCAB_SIZE } from '../../../src/chapters/running-example';
import { estimateParams, presets } from '../../../src/model/config';
import { readChapters } from './chapter-files';

const chapters = readChapters();

/** Phrases that state a vocabulary size or its logarithm; group 1 is the number. */
const SIZE_PATTERNS = [
  /(\d+)-character vocabulary/g,
  /vocabulary of (?:about |say, |roughly )?\$?(?:V = )?(\d+)/g,
  /for (?:a )?(\d+)[ -]characters?/g,
  /(?<!to )(\d+) distinct characters/g, // “80 to 100 distinct characters” is a range, not a size
  /\\ln (\d+)/g,
  /\bV = (\d+)(?![\d{,])/g,
  /vocabulary has (?:about )?(\d+)/g,
  /(\d+)-odd logits/g,
];
/** The notes' GPT's parameter count, which depends on V (25,2xx,xxx to 25,4xx,xxx). */
const PARAMS_PATTERN = /\b(25(?:,|\{,\})[234]\d\d(?:,|\{,\})\d{3})\b/g;
/** ln V as printed after "ln V". */
const LN_PATTERN = /\\ln V\$?(?:[^.\d]{0,40}?)(\d\.\d\d)/g;

describe('the running example’s vocabulary size', () => {
  it('is the size of the default corpus’ vocabulary as scripts/prepare-corpus.mjs builds it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
    try {
      execFileSync(process.execPath, ['scripts/prepare-corpus.mjs', dir], { stdio: 'ignore' });
      const vocab = JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as { size: number };
      expect(vocab.size).toBe(VOCAB_SIZE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('gives the notes’ GPT the parameter count PyTorch prints (25,273,344 + 1025 V)', () => {
    expect(RUNNING.notesParams).toBe((25_273_344 + 1025 * VOCAB_SIZE).toLocaleString('en-US'));
    expect(estimateParams({ ...presets.notes, vocabSize: VOCAB_SIZE })).toBe(25_273_344 + 1025 * VOCAB_SIZE);
    expect(RUNNING.lnV).toBe(Math.log(VOCAB_SIZE).toFixed(2));
  });

  it.each(chapters.map((c) => [c.id, c] as const))(
    '%s states no other vocabulary size or ln V, and its prose reads it from the module',
    (_id, c) => {
      const texts = [
        { where: 'frontmatter', text: JSON.stringify(c.frontmatter).replace(/\\\\/g, '\\') },
        { where: 'body', text: c.body.replace(/```[\s\S]*?```/g, '') },
      ];
      const bad: string[] = [];
      for (const { where, text } of texts) {
        for (const re of SIZE_PATTERNS) {
          for (const m of text.matchAll(re)) {
            const n = Number(m[1]);
            // Small toy vocabularies (five letters, a ten-word example) are not the running example.
            if (n < 20) continue;
            // In the body the number must come from the module, so any literal is a hard-coded copy.
            if (where === 'body' || n !== VOCAB_SIZE) bad.push(`${where}: “${m[0]}”`);
          }
        }
        for (const m of text.matchAll(PARAMS_PATTERN)) {
          const n = m[1].replace(/\{,\}/g, ',');
          // 25,206,784 (eight blocks) and 25,273,344 (everything but the vocabulary) do not depend on V.
          if (n === '25,206,784' || n === '25,273,344') continue;
          if (where === 'body' || n !== RUNNING.notesParams) bad.push(`${where}: “${m[0]}”`);
        }
        for (const m of text.matchAll(LN_PATTERN)) {
          if (where === 'body' || m[1] !== RUNNING.lnV) bad.push(`${where}: “${m[0]}”`);
        }
      }
      expect(bad).toEqual([]);
    },
  );
});
