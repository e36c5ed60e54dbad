// Routes clicks and keys on the view's buttons and links to the host or the composer.
import type { ErrorActionId } from '../shared/protocol';
import { cancelEdit, startEdit, submit } from './composer';
import { addContext, removeChip } from './contextChips';
import { post } from './host';
import { announce, app } from './layout';
import { session } from './session';
import { showVersionInPlace } from './turnView';

function codeOf(target: Element): string {
  return target.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
}

function openLinkFrom(target: Element): boolean {
  const link = target.closest<HTMLElement>('a[data-href]');
  if (!link) return false;
  post({ type: 'openLink', href: link.dataset.href ?? '' });
  return true;
}

/** Does what the `data-action` of a clicked control asks. */
function runAction(actionElement: HTMLElement): void {
  switch (actionElement.dataset.action) {
    case 'send':
      submit();
      return;
    case 'stop':
      post({ type: 'stop' });
      return;
    case 'regenerate':
      post({ type: 'regenerate' });
      return;
    case 'showVersion': {
      // Shown at once; the host then sends this answer with later questions and exports it.
      const shown = showVersionInPlace(actionElement);
      if (shown) post({ type: 'showVersion', ...shown });
      return;
    }
    case 'editLast':
      startEdit();
      return;
    case 'cancelEdit':
      cancelEdit();
      return;
    case 'addContext':
      addContext();
      return;
    case 'removeContext': {
      const id = actionElement.dataset.chipId;
      if (id) removeChip(id);
      return;
    }
    case 'copyCode':
      post({ type: 'copy', text: codeOf(actionElement) });
      if (session.strings) announce(session.strings.copied);
      return;
    case 'insertCode':
      post({ type: 'insertCode', code: codeOf(actionElement), mode: 'insert' });
      return;
    case 'replaceCode':
      post({ type: 'insertCode', code: codeOf(actionElement), mode: 'replace' });
      return;
    case 'errorAction': {
      const action = actionElement.dataset.errorAction as ErrorActionId | undefined;
      const turnId = actionElement.closest<HTMLElement>('section.turn')?.dataset.turnId;
      if (action && turnId) post({ type: 'errorAction', action, turnId });
      return;
    }
    case 'command': {
      const command = actionElement.dataset.command;
      if (command === 'setApiKey' || command === 'selectModel') post({ type: 'command', command });
      return;
    }
  }
}

export function handleActions(): void {
  app.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : undefined;
    if (!target) return;
    if (target.closest('a')) {
      event.preventDefault();
      openLinkFrom(target);
      return;
    }
    const actionElement = target.closest<HTMLElement>('[data-action]');
    if (actionElement) runAction(actionElement);
  });
  // Links have no href (nothing opens without the host); keyboard users activate them with Enter.
  app.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target instanceof Element && event.target.matches('a[data-href]')) {
      event.preventDefault();
      openLinkFrom(event.target);
    }
  });
  app.addEventListener('auxclick', (event) => {
    if (event.target instanceof Element && event.target.closest('a')) event.preventDefault();
  });
}
