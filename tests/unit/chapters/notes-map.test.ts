import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapterSchema } from '../../../src/chapters/schema';
import { CHAPTER_DIR, parseChapter } from './chapter-files';

/** One line of content/notes-map.json: a heading of the source notes and the Q&A entry that answers it. */
interface MapEntry {
  heading: string;
  chapter: string;
  qaId: string;
}

const map: MapEntry[] = JSON.parse(readFileSync('content/notes-map.json', 'utf8'));

/**
 * The notes' question headings and question lines, extracted once from the notes with
 * `extractNotesHeadings` below (the notes are not part of the product, so the list is checked in).
 */
const NOTES_HEADINGS = [
  'What is tokenization, and why is it important in processing text data?',
  'How does encoding differ from tokenization, and what purpose does it serve?',
  'What is an embedding layer, and why is it used in neural networks?',
  'How are embeddings initialized, and how do they get updated during training?',
  'What are the key steps involved in training a neural network?',
  'What steps are omitted during inference, and why?',
  'Explain the role of `loss.backward()` in training a neural network.',
  'What does `optimizer.step()` do, and how does it relate to `loss.backward()`?',
  'Why are dropout layers used in neural networks, and when might you choose to use them?',
  'What are activation functions, and why are they important in neural networks?',
  'Essence of Attention',
  'Vector Production',
  'Calculation of Attention Weights',
  'Weighted Sum',
  'Training and Adaptation',
  'Role in Understanding',
  'Diagram of How Attention Works',
  'ModuleList =/= Sequential. Sequential is synchronous',
  'Can you describe the steps involved in setting up a simple neural network model in PyTorch, including defining the model, loss function, and optimizer?',
  'Normalization is the process of scaling input data to improve training stability and performance.',
  'Regularization is the technique to prevent overfitting by adding constraints or penalties.',
  "Activation is the function applied to neurons' outputs to introduce non-linearity.",
  'Large Dataset:',
  'If you have a large dataset, reducing the validation set to a smaller proportion might still leave you with a sufficiently large validation set for reliable evaluation. For instance, if you have 100,000 samples, a 90-10 split still gives you 10,000 samples for validation.',
  'What is the purpose of a BucketIterator in the context of text data?',
  'How does sorting within batches help when training models with variable-length sequences?',
  'Why is it important to include sequence lengths when working with RNNs or LSTMs?',
  'How would you handle text data that contains a lot of unique tokens (e.g., usernames, URLs) in your preprocessing steps?',
  'What are some common optimization algorithms besides Adam, and in what scenarios might you use them?',
  'Scheduler',
  'This scheduler reduces the learning rate when a metric has stopped improving.',
  "mode='min' indicates that the learning rate will be reduced when the quantity monitored has stopped decreasing.",
  'factor=0.1 means the learning rate will be reduced by a factor of 10.',
  'patience=10 means the scheduler will wait for 10 epochs without improvement before reducing the learning rate.',
  'verbose=True will print a message to the console whenever the learning rate is reduced.',
  'Understanding Loss Behavior During Training',
  'Initial Rapid Decrease:',
  'Slowing Down:',
  'Convergence:',
  'Large language models can produce different outputs for the same input due to random sampling techniques, such as temperature, top-k, and top-p sampling, used during token generation. This inherent randomness introduces variability even with identical model parameters and probability distributions.',
  'Quantization in large language models involves reducing the precision of weights and activations from higher-bit representations (e.g., 32-bit floating-point) to lower-bit formats (e.g., 8-bit integers) to decrease memory usage, computational load, and improve inference speed. While it can slightly reduce model accuracy, it significantly enhances efficiency, making large models more practical for deployment.',
  "In the realm of deep learning, text serves as raw ore, brimming with potential information. Through the intricate process of training, deep learning models refine this raw material into valuable insights—represented by learned parameters. These parameters, akin to refined materials, embody the essence of the text's meaning and structure, enabling models to weave increasingly finer nets of understanding. The quality of these refined parameters directly impacts the model's ability to generate coherent text and perform complex language tasks with precision and nuance.",
];

/** Landmarks of the notes that are not headings: diagram labels, the script's key lines, the essay. */
const NOTES_LANDMARKS = [
  'Input: [x1, x2, x3, x4]',
  'Types of Attention',
  'Diagram of transformer layer',
  '# memory map for using small snippets of text from a single file of any size',
  'learning_rate = 3e-6',
  'class GPTLanguageModel(nn.Module):',
  'if loss_percentage_change <= 1:',
  'pickle.dump(model, f)',
  "prompt = 'Hello! Can you see me?'",
  'Neural networks, including transformers, are designed to identify and learn patterns',
  'Language as a High-Dimensional Space:',
  'The algorithm we used to approximate a surface in the provided code is analogous to this process but simplified.',
];

/**
 * Extract the question headings of the notes: "###"/"####" headings (a "##" one only when it ends a
 * question with "," or "?"), continuation headings joined onto the one before, and plain lines ending
 * in "?", all outside code fences; the "WILL LEARN LATER" marker and empty headings are skipped.
 */
export function extractNotesHeadings(notes: string): string[] {
  const lines = notes.split('\n');
  const out: string[] = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trimEnd();
    if (line.startsWith('```')) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    const m = /^(#{2,4})\s+(.*?)\s*$/.exec(line);
    if (m) {
      const level = m[1].length;
      let text = m[2].trim();
      if (!text || text.includes('WILL LEARN LATER')) continue;
      if (level === 2 && !/[,?]$/.test(text)) continue;
      while (i + 1 < lines.length && !/[.?:]$/.test(text)) {
        const next = /^(#{2,4})\s+([a-z].*?)\s*$/.exec(lines[i + 1].trimEnd());
        if (!next) break;
        text += ` ${next[2].trim()}`;
        i++;
      }
      out.push(text);
    } else if (line.trim().endsWith('?')) {
      out.push(line.trim());
    }
  }
  return out;
}

const qaOf = (chapter: string) => {
  const path = `${CHAPTER_DIR}/${chapter}.mdx`;
  if (!existsSync(path)) return null;
  return chapterSchema.parse(parseChapter(path, readFileSync(path, 'utf8')).frontmatter).qa;
};

describe('content/notes-map.json', () => {
  it('lists exactly the notes’ headings and landmarks, in the notes’ order', () => {
    expect(map.map((e) => e.heading)).toEqual([...NOTES_HEADINGS, ...NOTES_LANDMARKS]);
  });
  it('names a chapter file id and a kebab-case qa id in every entry', () => {
    for (const e of map) {
      expect(e.chapter).toMatch(/^\d\d-[a-z0-9-]+$/);
      expect(e.qaId).toMatch(/^[a-z0-9-]+$/);
    }
  });
});

describe.each(map.map((e) => [e.chapter, e.qaId, e] as const))('%s answers %s', (chapter, qaId, entry) => {
  it(`exists and has a Q&A entry "${qaId}" from the notes`, () => {
    const qa = qaOf(chapter);
    expect(
      qa,
      `content/chapters/${chapter}.mdx is missing (for “${entry.heading.slice(0, 60)}”)`,
    ).not.toBeNull();
    const hit = qa?.find((q) => q.id === qaId);
    expect(hit, `${chapter} has no qa entry with id ${qaId}`).toBeDefined();
    expect(hit?.fromNotes, `${chapter}: qa ${qaId} must have fromNotes: true`).toBe(true);
  });
});

// The notes live outside the product (../shared); when they are there, check the checked-in list.
const notesPath = resolve('..', 'shared', 'source', 'notes.md');
describe.runIf(existsSync(notesPath))('the checked-in heading list against the notes', () => {
  const notes = existsSync(notesPath) ? readFileSync(notesPath, 'utf8') : '';
  it('equals the headings extracted from the notes now', () => {
    expect(extractNotesHeadings(notes)).toEqual(NOTES_HEADINGS);
  });
  it('has every landmark verbatim in the notes', () => {
    for (const landmark of NOTES_LANDMARKS) expect(notes.includes(landmark), landmark).toBe(true);
  });
});
