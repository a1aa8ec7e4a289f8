import { describe, expect, it } from 'vitest';
import { preparePrompt } from '../../../components/widgets/sampling-playground/prompt';

const vocab = [..." abcdefghijklmnopqrstuvwxyz.,;:'?!-"];

describe('preparePrompt', () => {
  it.each([
    ['can you see m', 'can you see m', [], []],
    // uppercase is read as lowercase, and said so, instead of being refused
    ['Hello World', 'hello world', ['H', 'W'], []],
    ['HELLO', 'hello', ['H', 'E', 'L', 'O'], []],
    ['Hello <b>', 'hello <b>', ['H'], ['<', '>']],
    ['é', 'é', [], ['é']],
    ['İ', 'İ', [], ['İ']], // lowercases to two code points: not folded
    ['', '', [], []],
  ])('%j', (prompt, text, folded, unknown) => {
    expect(preparePrompt(vocab, prompt)).toEqual({ text, folded, unknown });
  });
});
