// Keeping the transcript's newest text in view while the user has not scrolled up, and remembering where it was.
import { saveState, viewState } from './host';
import { transcript } from './layout';

/** Whether the transcript keeps the newest text in view (the user has not scrolled up). */
let followOutput = true;
let scrollSaveFrame = 0;

export function followsOutput(): boolean {
  return followOutput;
}

export function nearBottom(): boolean {
  return transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 48;
}

export function scrollToBottom(): void {
  transcript.scrollTop = transcript.scrollHeight;
}

export function trackScrolling(): void {
  transcript.addEventListener('scroll', () => {
    // Streaming follows the answer until the user scrolls up; scrolling back to the end follows again.
    followOutput = nearBottom();
    if (scrollSaveFrame) return;
    scrollSaveFrame = requestAnimationFrame(() => {
      scrollSaveFrame = 0;
      viewState.scrollTop = transcript.scrollTop;
      saveState();
    });
  });
}
