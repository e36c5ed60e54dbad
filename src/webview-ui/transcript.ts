// Keeps the transcript in step with the host's turns: full renders, in-place updates, and ending a streamed answer.
import type { ConversationView, TurnView } from '../shared/protocol';
import { endEditForNewTurn, updateComposer } from './composer';
import { saveState, viewState } from './host';
import { announce, transcript } from './layout';
import { followsOutput, nearBottom, scrollToBottom } from './scroll';
import { enqueueRender } from './renderQueue';
import { session, streams } from './session';
import { renderEmptyState, renderTurn } from './turnView';

/**
 * Opening a conversation renders its latest turns in the tasks right after the message (the last one first); the ones
 * before render when they scroll into view. A conversation this short renders its last turn with the message.
 */
const RENDERED_AT_OPEN = 3;

let deferredObserver: IntersectionObserver | undefined;

/** Watches the placeholders of older turns: one coming near the visible part of the transcript is rendered. */
function observer(): IntersectionObserver {
  deferredObserver ??= new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        const placeholder = entry.target as HTMLElement;
        deferredObserver?.unobserve(placeholder);
        enqueueRender(() => {
          renderDeferred(placeholder);
          return true;
        });
      }
    },
    { root: transcript, rootMargin: '1200px 0px' },
  );
  return deferredObserver;
}

/** Whether the placeholder was still in the transcript and is now its turn. */
function renderDeferred(placeholder: HTMLElement): boolean {
  if (!placeholder.isConnected) return false;
  const turns = session.turns;
  const index = turns.findIndex((turn) => turn.id === placeholder.dataset.turnId);
  if (index === -1) return false;
  // Scroll anchoring keeps what is on screen in place while the turn above it takes its real height.
  placeholder.replaceWith(renderTurn(turns[index], index === turns.length - 1));
  return true;
}

/**
 * An older turn not yet rendered: its question, and room for about the height its answer will take (so the scroll bar
 * tells the length of the conversation), until it comes into view.
 */
function deferredTurn(turn: TurnView): HTMLElement {
  const section = document.createElement('section');
  section.className = 'turn deferred';
  section.dataset.turnId = turn.id;
  const question = document.createElement('div');
  question.className = 'question-text';
  question.textContent = turn.question;
  section.appendChild(question);
  const lines = Math.ceil(turn.answer.length / 60) + (turn.quote ? turn.quote.code.split('\n').length : 0);
  section.style.minHeight = `${Math.min(6_000, 90 + lines * 18)}px`;
  observer().observe(section);
  return section;
}

/**
 * One of the latest turns: rendered in a task of its own right after (before the view is painted, mostly), so that
 * opening a long conversation is several short tasks, not one long one: the message lays out the placeholders, the
 * last turn's task its answer. `keepAtEnd` scrolls the transcript back to its end once the turn has its real height.
 */
function soonTurn(turn: TurnView, keepAtEnd = false): HTMLElement {
  const placeholder = deferredTurn(turn);
  deferredObserver?.unobserve(placeholder);
  enqueueRender(() => {
    if (renderDeferred(placeholder) && keepAtEnd) scrollToBottom();
    return true;
  });
  return placeholder;
}

function turnSection(id: string): HTMLElement | null {
  return transcript.querySelector<HTMLElement>(`section[data-turn-id="${CSS.escape(id)}"]`);
}

/** A streaming answer keeps its element (and its frozen blocks); only the controls around it are rebuilt. */
export function renderAll(): void {
  if (!session.strings) return;
  const turns = session.turns;
  const stickToBottom = nearBottom();
  if (turns.length === 0) {
    streams.clear();
    transcript.replaceChildren(renderEmptyState());
  } else {
    deferredObserver?.disconnect();
    const nodes = turns.map((turn, index) => {
      const existing = streams.get(turn.id);
      if (turn.state === 'streaming' && existing) {
        const current = turnSection(turn.id);
        if (current) return current;
      }
      if (turn.state === 'streaming') return renderTurn(turn, index === turns.length - 1);
      if (index < turns.length - RENDERED_AT_OPEN) return deferredTurn(turn);
      if (index < turns.length - 1) return soonTurn(turn);
      // Queued after the turns above it, so run before them (the latest queued runs first).
      return turns.length > RENDERED_AT_OPEN ? soonTurn(turn, stickToBottom) : renderTurn(turn, true);
    });
    transcript.replaceChildren(...nodes);
  }
  updateComposer();
  if (stickToBottom) scrollToBottom();
}

function replaceTurnElement(turn: TurnView): void {
  const turns = session.turns;
  const index = turns.findIndex((candidate) => candidate.id === turn.id);
  const current = turnSection(turn.id);
  if (!current || index === -1) {
    renderAll();
    return;
  }
  const stickToBottom = nearBottom();
  current.replaceWith(renderTurn(turn, index === turns.length - 1));
  const previous = turns[index - 1];
  if (previous) demoteTurn(previous.id);
  updateComposer();
  if (stickToBottom) scrollToBottom();
}

/**
 * A turn that is no longer the last loses the controls only the last turn has (Edit, Regenerate, Retry). They are
 * removed in place: re-adding the turn would make the polite log region read an old answer again.
 */
function demoteTurn(id: string): void {
  const section = turnSection(id);
  if (!section) return;
  for (const control of Array.from(section.querySelectorAll('[data-action="editLast"], .answer-actions, [data-error-action="retry"]'))) {
    control.remove();
  }
}

/** A new question is added to the transcript; nothing already there is rebuilt (so nothing is announced twice). */
function appendTurnElement(turn: TurnView): void {
  const last = transcript.lastElementChild;
  const previousId = session.turns.at(-2)?.id;
  if (!previousId || !(last instanceof HTMLElement) || last.dataset.turnId !== previousId) {
    renderAll();
    return;
  }
  demoteTurn(previousId);
  transcript.appendChild(renderTurn(turn, true));
  updateComposer();
}

export function showConversation(next: ConversationView): void {
  if (session.conversation?.id !== next.id) {
    viewState.editing = false;
    delete viewState.editingTurnId;
  }
  session.conversation = next;
  session.turns = [...next.turns];
  for (const id of Array.from(streams.keys())) {
    if (!session.turns.some((turn) => turn.id === id && turn.state === 'streaming')) streams.delete(id);
  }
  viewState.conversationId = next.id;
  saveState();
  renderAll();
}

/** A turn begins to stream: a new question is appended, a regenerated or retried answer replaces its turn. */
export function startTurn(turn: TurnView): void {
  streams.delete(turn.id);
  const index = session.turns.findIndex((candidate) => candidate.id === turn.id);
  if (index === -1) {
    endEditForNewTurn();
    session.turns.push(turn);
    appendTurnElement(turn);
  } else {
    session.turns[index] = turn;
    replaceTurnElement(turn);
  }
  scrollToBottom();
}

export function endTurn(turn: TurnView): void {
  const turns = session.turns;
  const index = turns.findIndex((candidate) => candidate.id === turn.id);
  if (index === -1) return;
  turns[index] = turn;
  const stream = streams.get(turn.id);
  streams.delete(turn.id);
  const section = turnSection(turn.id);
  const body = section?.querySelector<HTMLElement>('.answer .markdown');
  const answer = body?.parentElement;
  if (stream && section && body && answer && stream.text === turn.answer) {
    stream.finish();
    // Keep the rendered blocks where they are (moving a long answer's subtree restyles all of it); rebuild only
    // the question and the controls around the answer.
    const fresh = renderTurn({ ...turn, answer: '' }, index === turns.length - 1);
    const freshAnswer = fresh.querySelector<HTMLElement>('.answer');
    const freshBody = freshAnswer?.querySelector('.markdown');
    const freshQuestion = fresh.querySelector('.question');
    if (freshQuestion) section.querySelector('.question')?.replaceWith(freshQuestion);
    for (const child of Array.from(answer.children)) if (child !== body) child.remove();
    answer.removeAttribute('aria-busy');
    let beforeBody = true;
    for (const child of Array.from(freshAnswer?.childNodes ?? [])) {
      if (child === freshBody) beforeBody = false;
      else if (beforeBody) answer.insertBefore(child, body);
      else answer.appendChild(child);
    }
    updateComposer();
    if (followsOutput()) scrollToBottom();
  } else {
    replaceTurnElement(turn);
  }
  announceEnd(turn);
}

function announceEnd(turn: TurnView): void {
  const strings = session.strings;
  if (!strings) return;
  // A failed Regenerate or Retry ends with the answer from before shown again: the failure is what happened.
  if (turn.attemptError) announce(`${strings.attemptFailed} ${turn.attemptError.message}`);
  else if (turn.state === 'error' && turn.error) announce(turn.error.message);
  else if (turn.state === 'stopped') announce(strings.stopped);
  else if (turn.state === 'interrupted') announce(strings.interrupted);
  else announce(strings.answerFinished);
}
