// The chat view's entry point: builds the view, wires its input handlers and routes the host's messages.
import '@vscode/codicons/dist/codicon.css';
import './chat.css';
import type { HostMessage } from '../shared/protocol';
import { handleActions } from './actions';
import { focusInput, handleComposerKeys, restoreInput, showDraft } from './composer';
import { showChips, watchForHash } from './contextChips';
import { post, viewState } from './host';
import { applyStrings, mountLayout, transcript } from './layout';
import { trackScrolling } from './scroll';
import { session, streams } from './session';
import { endTurn, renderAll, showConversation, startTurn } from './transcript';

function onHostMessage(message: HostMessage): void {
  switch (message.type) {
    case 'init':
      session.strings = message.strings;
      session.status = message.status;
      applyStrings(message.strings);
      if (viewState.conversationId && viewState.conversationId !== message.conversation.id) {
        viewState.scrollTop = undefined;
      }
      showConversation(message.conversation);
      showChips(message.chips);
      if (viewState.scrollTop !== undefined) transcript.scrollTop = viewState.scrollTop;
      return;
    case 'status':
      session.status = message.status;
      if (session.turns.length === 0) renderAll();
      return;
    case 'conversation':
      showConversation(message.conversation);
      return;
    case 'turnStarted':
      if (message.conversationId !== session.conversation?.id) return;
      startTurn(message.turn);
      return;
    case 'delta':
      if (message.conversationId !== session.conversation?.id) return;
      streams.get(message.turnId)?.append(message.text);
      return;
    case 'done':
    case 'error':
      if (message.conversationId !== session.conversation?.id) return;
      endTurn(message.turn);
      return;
    case 'focusInput':
      focusInput();
      return;
    case 'restoreInput':
      restoreInput(message.text, message.editing);
      return;
    case 'contextChips':
      showChips(message.chips, message.consumeHash);
      return;
  }
}

mountLayout();
window.addEventListener('message', (event: MessageEvent<HostMessage>) => onHostMessage(event.data));
handleComposerKeys();
watchForHash();
trackScrolling();
handleActions();
showDraft();
post({ type: 'ready' });
