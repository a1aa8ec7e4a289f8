/**
 * Bidirectional isolation for user text inside an English sentence. Without it a run of Arabic or
 * Hebrew items separated by spaces or commas is laid out right to left as one run, so a list
 * "ا ب ت" reads reversed; FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE keeps each item its own
 * direction and the list in reading order.
 */

const FSI = '\u2068';
const PDI = '\u2069';

/** One item isolated from the text around it (its own direction from its first strong letter). */
export function isolate(text: string): string {
  return `${FSI}${text}${PDI}`;
}

/** Items isolated one by one and joined with `sep`, so the list keeps its order in any script. */
export function isolatedList(items: readonly string[], sep: string): string {
  return items.map(isolate).join(sep);
}
