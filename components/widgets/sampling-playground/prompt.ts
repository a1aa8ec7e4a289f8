/** How the sampling playground reads a typed prompt: uppercase folded to lowercase, the rest checked. */

/** A prompt as the character model will read it. */
export interface PreparedPrompt {
  /** The prompt with letters lowercased (the model was trained on lowercased text). */
  text: string;
  /** Characters that were folded, each once, in order of appearance, e.g. ["H", "W"]. */
  folded: string[];
  /** Characters the model does not know even after folding, each once. */
  unknown: string[];
}

/** Fold uppercase to lowercase (as the training text was) and list what is still not in `vocab`. */
export function preparePrompt(vocab: readonly string[], prompt: string): PreparedPrompt {
  const known = new Set(vocab);
  const folded = new Set<string>();
  const unknown = new Set<string>();
  const out: string[] = [];
  for (const c of prompt) {
    const lower = c.toLowerCase();
    // fold only when that gives one known character ("İ" lowercases to two code points)
    const use = !known.has(c) && lower !== c && known.has(lower) ? lower : c;
    if (use !== c) folded.add(c);
    if (!known.has(use)) unknown.add(c);
    out.push(use);
  }
  return { text: out.join(''), folded: [...folded], unknown: [...unknown] };
}
