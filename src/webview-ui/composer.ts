// The input box: sending, edit and resend of the last question, the draft, and the hint shown when busy.
import { restoredInput } from '../shared/protocol';
import { post, saveState, viewState } from './host';
import { announce, composer, editBanner, hint, input, sendButton, stopButton } from './layout';
import { nearBottom, scrollToBottom } from './scroll';
import { isStreaming, session } from './session';

export function updateComposer(): void {
  const streaming = isStreaming();
  sendButton.hidden = streaming;
  stopButton.hidden = !streaming;
  if (!streaming && composer.classList.contains('busy')) {
    composer.classList.remove('busy');
    hint.textContent = session.strings?.inputHint ?? '';
  }
  editBanner.hidden = !viewState.editing;
  composer.classList.toggle('editing', viewState.editing);
}

/** Sending while an answer streams is refused out loud: the question stays in the input, Stop is next to it. */
function showBusy(): void {
  const strings = session.strings;
  if (!strings) return;
  composer.classList.add('busy');
  hint.textContent = strings.busyHint;
  announce(strings.busyHint);
}

export function submit(): void {
  const text = input.value;
  if (!text.trim()) return;
  if (isStreaming()) {
    showBusy();
    return;
  }
  post(viewState.editing ? { type: 'editLast', text, ...(viewState.editingTurnId ? { turnId: viewState.editingTurnId } : {}) } : { type: 'send', text });
  input.value = '';
  viewState.draft = '';
  viewState.editing = false;
  delete viewState.editingTurnId;
  saveState();
  updateComposer();
}

export function startEdit(): void {
  const last = session.turns.at(-1);
  if (!last || isStreaming()) return;
  input.value = last.question;
  viewState.editing = true;
  viewState.editingTurnId = last.id;
  viewState.draft = last.question;
  saveState();
  // The banner makes the transcript shorter: keep the last answer's controls in view.
  const stickToBottom = nearBottom();
  updateComposer();
  if (stickToBottom) scrollToBottom();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

/**
 * A new question became the last turn (Explain Selection from the editor, say): an edit of the previous last turn
 * would now rewrite the new one. The edit ends; what was typed stays in the input, as an ordinary question.
 */
export function endEditForNewTurn(): void {
  if (!viewState.editing) return;
  viewState.editing = false;
  delete viewState.editingTurnId;
  viewState.draft = input.value;
  saveState();
  updateComposer();
}

export function cancelEdit(): void {
  viewState.editing = false;
  delete viewState.editingTurnId;
  input.value = '';
  viewState.draft = '';
  saveState();
  updateComposer();
  input.focus();
}

/** A question the host gave back. Never drop it: it joins whatever was typed meanwhile, and an edit stays an edit. */
export function restoreInput(text: string, editing: boolean | undefined): void {
  input.value = restoredInput(input.value, text);
  if (editing) {
    viewState.editing = true;
    const last = session.turns.at(-1);
    if (last) viewState.editingTurnId = last.id;
  }
  viewState.draft = input.value;
  saveState();
  updateComposer();
}

export function focusInput(): void {
  input.focus();
}

/** Enter sends, Shift+Enter is a new line, Escape cancels an edit; every keystroke is kept as the draft. */
export function handleComposerKeys(): void {
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape' && viewState.editing) {
      event.preventDefault();
      cancelEdit();
    }
  });
  input.addEventListener('input', () => {
    viewState.draft = input.value;
    saveState();
  });
}

/** Puts the saved draft back after a reload of the view. */
export function showDraft(): void {
  input.value = viewState.draft;
  updateComposer();
}
