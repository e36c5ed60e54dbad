/**
 * Splits a streamed markdown answer into top-level blocks as it arrives, so the view renders each finished block
 * once and re-renders only the open one: the cost of a delta does not grow with the length of the answer.
 * Pure and incremental: each character is scanned once.
 *
 * A boundary is placed only where CommonMark starts a new top-level block anyway: before a line at column 0 that
 * follows a blank line (unless it is the next item of the same list), before a fence, an ATX heading or a bullet
 * list at column 0, and right after a top-level fenced code block closes. Never inside a fence.
 */

export interface OpenFence {
  /** The fence's info string, e.g. `ts` (first word only). */
  readonly language: string;
  /** Offset in `openBlock` where the code starts (after the opening fence line). */
  readonly contentStart: number;
}

type BlockKind = 'empty' | 'fence' | 'list' | 'other';

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const BULLET = /^[-*+][ \t]/;
const ORDERED = /^\d{1,9}[.)][ \t]/;
const BLANK = /^[ \t]*$/;

export class MarkdownBlockSplitter {
  /** The open block's text: everything not frozen yet. */
  private buffer = '';
  /** Offset in `buffer` of the first line not scanned yet. */
  private scanPos = 0;
  private kind: BlockKind = 'empty';
  private fence: { char: string; length: number; language: string; contentStart: number; top: boolean } | undefined;
  private previousBlank = false;

  /** Adds streamed text; returns the blocks it finished, in order (markdown source, trailing blank lines kept). */
  push(text: string): string[] {
    this.buffer += text;
    const finished: string[] = [];
    let newline = this.buffer.indexOf('\n', this.scanPos);
    while (newline !== -1) {
      const lineStart = this.scanPos;
      const line = this.buffer.slice(lineStart, newline).replace(/\r$/, '');
      this.scanPos = newline + 1;
      const frozen = this.scanLine(line, lineStart, this.scanPos);
      if (frozen !== undefined) {
        finished.push(frozen);
      }
      newline = this.buffer.indexOf('\n', this.scanPos);
    }
    return finished;
  }

  /** The text of the block still being written (may end in the middle of a line). */
  get openBlock(): string {
    return this.buffer;
  }

  /** Set while the open block is a top-level fenced code block that has not closed yet. */
  get openFence(): OpenFence | undefined {
    return this.fence?.top ? { language: this.fence.language, contentStart: this.fence.contentStart } : undefined;
  }

  /** Ends the stream: returns the last block (possibly empty) and resets. */
  finish(): string {
    const rest = this.buffer;
    this.buffer = '';
    this.scanPos = 0;
    this.kind = 'empty';
    this.fence = undefined;
    this.previousBlank = false;
    return rest;
  }

  /** Scans one complete line; returns a frozen block when the line completes one or starts a new one. */
  private scanLine(line: string, lineStart: number, lineEnd: number): string | undefined {
    if (this.fence) {
      const close = FENCE_OPEN.exec(line);
      const marker = close?.[2];
      if (marker && marker[0] === this.fence.char && marker.length >= this.fence.length && close[3].trim() === '') {
        const wasTopFence = this.fence.top;
        this.fence = undefined;
        this.previousBlank = false;
        if (wasTopFence && this.kind === 'fence') {
          return this.freezeBefore(lineEnd);
        }
      }
      return undefined;
    }
    if (BLANK.test(line)) {
      this.previousBlank = this.kind !== 'empty';
      return undefined;
    }
    const atColumnZero = !/^[ \t]/.test(line);
    const fenceOpen = FENCE_OPEN.exec(line);
    const opensFence = fenceOpen !== null && !(fenceOpen[2][0] === '`' && fenceOpen[3].includes('`'));
    const isListItem = atColumnZero && (BULLET.test(line) || ORDERED.test(line));
    let frozen: string | undefined;
    if (this.kind !== 'empty' && atColumnZero) {
      // A list stays one block (one <ul> for screen readers), even when loose: items after blank lines continue it.
      const continuesList = this.kind === 'list' && isListItem;
      const startsBlock =
        (this.previousBlank && !continuesList) ||
        (opensFence && fenceOpen[1] === '') ||
        HEADING.test(line) ||
        (isListItem && this.kind !== 'list' && BULLET.test(line));
      if (startsBlock) {
        frozen = this.freezeBefore(lineStart);
        lineStart = 0;
        lineEnd -= frozen.length;
      }
    }
    if (this.kind === 'empty') {
      this.kind = opensFence && atColumnZero ? 'fence' : isListItem ? 'list' : 'other';
    }
    if (opensFence) {
      this.fence = {
        char: fenceOpen[2][0],
        length: fenceOpen[2].length,
        language: fenceOpen[3].trim().split(/\s+/)[0] ?? '',
        contentStart: lineEnd,
        top: this.kind === 'fence',
      };
    }
    this.previousBlank = false;
    return frozen;
  }

  private freezeBefore(offset: number): string {
    const frozen = this.buffer.slice(0, offset);
    this.buffer = this.buffer.slice(offset);
    this.scanPos -= offset;
    this.kind = 'empty';
    this.previousBlank = false;
    return frozen;
  }
}
