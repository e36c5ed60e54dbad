// The view's fixed skeleton (transcript, composer, live status region), its localised labels and announcements.
import type { WebviewStrings } from '../shared/protocol';
import { button, element, icon } from './dom';

export const app = document.getElementById('app') as HTMLElement;
export const transcript = element('div', { className: 'transcript', attrs: { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions' } });
export const liveStatus = element('div', { className: 'visually-hidden', attrs: { role: 'status', 'aria-live': 'polite' } });
export const editBanner = element('div', { className: 'edit-banner', attrs: { hidden: '' } });
export const input = element('textarea', { className: 'input', attrs: { rows: '3', id: 'chat-input', 'aria-describedby': 'chat-hint' } });
export const hint = element('div', { className: 'hint', attrs: { id: 'chat-hint' } });
export const chipList = element('div', { className: 'chips', attrs: { role: 'list', hidden: '' } });
export const addContextButton = element('button', { className: 'icon-button add-context', attrs: { type: 'button', 'data-action': 'addContext' } }, icon('attach'));
export const sendButton = element('button', { className: 'icon-button primary send', attrs: { type: 'button', 'data-action': 'send' } }, icon('send'));
export const stopButton = element('button', { className: 'icon-button stop', attrs: { type: 'button', 'data-action': 'stop', hidden: '' } }, icon('debug-stop'));
export const composer = element(
  'div',
  { className: 'composer' },
  editBanner,
  chipList,
  input,
  element('div', { className: 'composer-footer' }, addContextButton, hint, element('div', { className: 'composer-buttons' }, stopButton, sendButton)),
);

export function mountLayout(): void {
  app.replaceChildren(transcript, composer, liveStatus);
}

export function applyStrings(s: WebviewStrings): void {
  transcript.setAttribute('aria-label', s.transcriptLabel);
  input.setAttribute('aria-label', s.inputLabel);
  input.placeholder = s.inputPlaceholder;
  hint.textContent = s.inputHint;
  chipList.setAttribute('aria-label', s.contextLabel);
  for (const [node, label] of [
    [addContextButton, s.addContext],
    [sendButton, s.send],
    [stopButton, s.stop],
  ] as const) {
    node.title = label;
    node.setAttribute('aria-label', label);
  }
  editBanner.replaceChildren(
    element('span', { text: s.editingBanner }),
    button(s.cancelEdit, 'close', { 'data-action': 'cancelEdit' }, { iconOnly: true }),
  );
}

export function announce(text: string): void {
  liveStatus.textContent = '';
  requestAnimationFrame(() => (liveStatus.textContent = text));
}
