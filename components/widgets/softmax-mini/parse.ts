/** Result of parsing a comma-separated list of numbers typed by a learner. */
export type ParsedNumbers = { ok: true; values: number[] } | { ok: false; message: string };

/** Parse "2, 1, 0.1" into numbers, or say exactly which entry is not a number. */
export function parseNumberList(text: string, { max = 32 } = {}): ParsedNumbers {
  const parts = text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, message: 'Enter at least one number, e.g. 2, 1, 0.1.' };
  if (parts.length > max)
    return { ok: false, message: `Enter at most ${max} numbers (got ${parts.length}).` };
  const values: number[] = [];
  for (const [i, part] of parts.entries()) {
    const v = Number(part);
    if (!Number.isFinite(v)) {
      const shown = part.length > 20 ? `${part.slice(0, 20)}…` : part;
      return { ok: false, message: `Entry ${i + 1} (“${shown}”) is not a finite number.` };
    }
    values.push(v);
  }
  return { ok: true, values };
}
