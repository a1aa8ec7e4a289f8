/**
 * The cell's editor: CodeMirror 6 with TypeScript highlighting (token classes coloured by
 * code-cell.css in the site's light and dark code themes), line numbers, bracket matching, undo.
 * Ctrl/Cmd+Enter runs; Esc leaves the editor so Tab moves on; Tab indents while editing.
 */
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { javascript } from '@codemirror/lang-javascript';
import { classHighlighter } from '@lezer/highlight';

/** What the cell needs from its editor. */
export interface CellEditor {
  view: EditorView;
  getCode(): string;
  setCode(code: string): void;
  focus(): void;
}

/** Create an editor in `parent` with `code`; `onRun` on Ctrl/Cmd+Enter, `onLeave` on Esc, `onChange` on edits. */
export function createEditor(
  parent: HTMLElement,
  code: string,
  handlers: { label: string; onRun(): void; onLeave(): void; onChange(code: string): void },
): CellEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: code,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        indentOnInput(),
        bracketMatching(),
        javascript({ typescript: true }),
        syntaxHighlighting(classHighlighter),
        EditorState.tabSize.of(2),
        keymap.of([
          { key: 'Mod-Enter', run: () => (handlers.onRun(), true) },
          { key: 'Escape', run: () => (handlers.onLeave(), true) },
          ...defaultKeymap,
          ...historyKeymap,
          indentWithTab,
        ]),
        EditorView.contentAttributes.of({ 'aria-label': `${handlers.label}: code editor` }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) handlers.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    getCode: () => view.state.doc.toString(),
    setCode: (next) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } }),
    focus: () => view.focus(),
  };
}
