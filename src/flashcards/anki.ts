/**
 * The deck as an Anki-importable text file: tab-separated, with Anki's header lines
 * (`#separator:tab`, `#html:true`, …) and one note per line: GUID, Front, Back, Tags.
 */

export interface AnkiNote {
  /** Stable note id: re-importing an updated file updates the notes instead of duplicating them. */
  guid: string;
  /** Front and back as HTML (the question is plain text and must be escaped with escapeHtml). */
  front: string;
  back: string;
  /** Tags without spaces. */
  tags: string[];
}

/** Escape plain text for an HTML field. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * One field of the file. A tab inside a field would start a new field, so tabs become the HTML
 * entity `&#9;` (the file is HTML). A field with a newline, a double quote, or a leading `#` (a
 * comment line to Anki) is wrapped in double quotes, with inner quotes doubled, as Anki's importer
 * reads quoted fields.
 */
export function ankiField(value: string): string {
  const v = value.replace(/\t/g, '&#9;');
  return /["\r\n]|^#/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Tags column: spaces separate tags, so spaces inside a tag become underscores. */
export function ankiTags(tags: readonly string[]): string {
  return ankiField(
    tags
      .map((t) => t.trim().replace(/\s+/g, '_'))
      .filter(Boolean)
      .join(' '),
  );
}

/** The whole file. `deck` is the Anki deck name (use "Parent::Child" for a subdeck). */
export function ankiFile(notes: readonly AnkiNote[], deck: string): string {
  const header = [
    '#separator:tab',
    '#html:true',
    `#deck:${deck.replace(/[\r\n\t]/g, ' ')}`,
    '#guid column:1',
    '#tags column:4',
    '#columns:GUID\tFront\tBack\tTags',
  ];
  const lines = notes.map((n) =>
    [ankiField(n.guid), ankiField(n.front), ankiField(n.back), ankiTags(n.tags)].join('\t'),
  );
  return `${[...header, ...lines].join('\n')}\n`;
}
