// The context chips in the input (Add Context, `#`, remove) and a turn's attached context, shown collapsed.
import type { ContextChipView, ContextItem, WebviewStrings } from '../shared/protocol';
import { button, element, format, icon } from './dom';
import { post } from './host';
import { chipList, input } from './layout';
import { session } from './session';

const KIND_ICONS: Readonly<Record<ContextChipView['kind'], string>> = {
  file: 'file',
  selection: 'selection',
  problems: 'warning',
  terminal: 'terminal',
  changes: 'git-compare',
};

/** `3.2 KB`, `812 B`: a chip's size. */
export function sizeLabel(chars: number): string {
  if (chars < 1000) return `${chars} B`;
  return `${(chars / 1024).toFixed(chars < 10_240 ? 1 : 0)} KB`;
}

function chipTitle(chip: ContextChipView, s: WebviewStrings): string {
  return chip.cutFrom === undefined ? `${chip.label} · ${sizeLabel(chip.chars)}` : `${chip.label} · ${sizeLabel(chip.chars)} (${format(s.contextCut, chip.cutFrom.toLocaleString())})`;
}

/** Where a `#` that opened the picker was typed, so it goes once something is attached. */
let hashAt: number | undefined;
/** After a chip's removal the chips are drawn again: the focus goes to this chip's remove button, or the input. */
let focusAfterRemoval: string | null | undefined;

export function showChips(chips: readonly ContextChipView[], consumeHash?: boolean): void {
  const s = session.strings;
  if (consumeHash && hashAt !== undefined && input.value[hashAt] === '#') {
    input.value = input.value.slice(0, hashAt) + input.value.slice(hashAt + 1);
    input.setSelectionRange(hashAt, hashAt);
    input.dispatchEvent(new Event('input'));
  }
  if (consumeHash) hashAt = undefined;
  if (!s) return;
  chipList.hidden = chips.length === 0;
  chipList.replaceChildren(
    ...chips.map((chip) =>
      element(
        'span',
        { className: `chip${chip.cutFrom === undefined ? '' : ' cut'}`, attrs: { role: 'listitem', title: chipTitle(chip, s), 'data-chip-id': chip.id } },
        icon(KIND_ICONS[chip.kind]),
        element('span', { className: 'chip-label', text: chip.label }),
        element('span', { className: 'chip-size', text: chip.cutFrom === undefined ? sizeLabel(chip.chars) : `${sizeLabel(chip.chars)} · ${format(s.contextCut, chip.cutFrom.toLocaleString())}` }),
        button(format(s.removeContext, chip.label), 'close', { 'data-action': 'removeContext', 'data-chip-id': chip.id }, { iconOnly: true }),
      ),
    ),
  );
  if (focusAfterRemoval !== undefined) {
    const next = focusAfterRemoval === null ? null : chipList.querySelector<HTMLElement>(`button[data-chip-id="${CSS.escape(focusAfterRemoval)}"]`);
    (next ?? input).focus();
    focusAfterRemoval = undefined;
  }
}

export function addContext(): void {
  post({ type: 'addContext' });
}

/** A removed chip's neighbour (or the input) gets the focus, so a keyboard user is not left nowhere. */
export function removeChip(id: string): void {
  const chips = [...chipList.querySelectorAll<HTMLElement>('.chip')];
  const at = chips.findIndex((chip) => chip.dataset.chipId === id);
  const next = chips[at + 1] ?? chips[at - 1];
  focusAfterRemoval = next?.dataset.chipId ?? null;
  post({ type: 'removeContext', id });
}

/** `#` typed at the start of the input or after a space opens the picker; the `#` stays if nothing is picked. */
export function watchForHash(): void {
  input.addEventListener('input', (event) => {
    if (!(event instanceof InputEvent) || event.inputType !== 'insertText' || event.data !== '#') return;
    const at = input.selectionStart - 1;
    if (at < 0 || input.value[at] !== '#' || (at > 0 && !/\s/.test(input.value[at - 1] ?? ''))) return;
    hashAt = at;
    post({ type: 'addContext', viaHash: true });
  });
}

/** A turn's attached context: one collapsed line per item, its text when opened. */
export function renderTurnContext(context: readonly ContextItem[]): HTMLElement {
  const s = session.strings as WebviewStrings;
  return element(
    'div',
    { className: 'turn-context', attrs: { role: 'list', 'aria-label': s.contextLabel } },
    ...context.map((item) => {
      const summary = element(
        'summary',
        {},
        icon(KIND_ICONS[item.kind]),
        element('span', { className: 'chip-label', text: item.label }),
        element('span', { className: 'chip-size', text: item.cutFrom === undefined ? sizeLabel(item.chars) : `${sizeLabel(item.chars)} · ${format(s.contextCut, item.cutFrom.toLocaleString())}` }),
      );
      const body = element('pre', { className: 'context-text' }, element('code', { text: item.text }));
      return element('details', { className: 'context-item', attrs: { role: 'listitem' } }, summary, body);
    }),
  );
}
