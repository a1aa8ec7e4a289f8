/** The tokenizer explorer's token chips and the names of its three tokenizers. */
import { spokenToken, visibleToken } from './display';
import type { TokenView } from './model';
import { el } from '../shared/dom';

export type Kind = 'char' | 'word' | 'bpe';
export const KINDS: Kind[] = ['char', 'word', 'bpe'];
export const TITLES: Record<Kind, string> = { char: 'Character', word: 'Word', bpe: 'BPE' };

/** A token chip: its visible text over its id; unknown tokens dashed in red and named so. */
export function chip(token: TokenView, index: number, unkLabel: boolean): HTMLLIElement {
  const li = el('li', undefined, token.unknown ? 'chip unknown' : 'chip');
  li.tabIndex = -1;
  li.dataset.i = String(index);
  const bdi = el('bdi', visibleToken(token.text), 't');
  const id = el('span', token.unknown && unkLabel ? `${token.id} unk` : String(token.id), 'id');
  li.append(bdi, id);
  li.setAttribute(
    'aria-label',
    `token ${index + 1}: ${spokenToken(token.text)}, id ${token.id}${token.unknown ? ', unknown' : ''}`,
  );
  return li;
}
