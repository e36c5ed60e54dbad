/**
 * Splits a streamed markdown answer into top-level blocks as it arrives, so the view renders each finished block
 * once and re-renders only the open one: the cost of a delta does not grow with the length of the answer.
 * Incremental: each character is scanned once.
 *
 * The line scan finds where CommonMark probably starts a new top-level block: before a line that follows a blank
 * line (unless a list may go on there), before a fence, an ATX heading or a bullet with text at column 0, and right
 * after a top-level fenced code block closes. Never inside a fence. Some of it no line scan can know (how far a list
 * item reaches, whether a link definition's title goes on), so a `BoundaryJudge`, when given, confirms each
 * boundary with the markdown parser itself; until it does, the text stays in the open block.
 */

/** `final`: the text before renders alone as in the whole answer, whatever follows. `never`: the block goes on. */
export type BoundaryVerdict = 'final' | 'never' | 'not yet';

/** Judges boundaries: ascending offsets of line starts in `text`, which begins where a top-level block begins. */
export type BoundaryJudge = (text: string, offsets: readonly number[]) => BoundaryVerdict[];

export interface OpenFence {
  /** The fence's info string, e.g. `ts` (first word only). */
  readonly language: string;
  /** Offset in `openBlock` where the code starts (after the opening fence line). */
  readonly contentStart: number;
}

type BlockKind = 'empty' | 'fence' | 'other';

interface OpenFenceState {
  char: string;
  length: number;
  language: string;
  contentStart: number;
  /** The fence opened the block (a top-level fence at column 0). */
  top: boolean;
  /** Indented in a block that has a list: it probably belongs to a list item, and ends with the item. */
  itemIndent: number | undefined;
}

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const HEADING = /^#{1,6}(?:[ \t]|$)/;
/** A bullet that can interrupt a paragraph: an empty one cannot (and `- ` under a line is a setext underline). */
const BULLET_WITH_TEXT = /^[-*+][ \t]+\S/;
/** A list item, at the top level or continuing a list (up to three spaces of indentation): marker, spaces, text. */
const LIST_ITEM = /^( {0,3}(?:[-*+]|\d{1,9}[.)]))(?:([ \t]+)(.*))?$/;
/** `- - -` or `* * *` is a thematic break, not a list item. */
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BLANK = /^[ \t]*$/;

export class MarkdownBlockSplitter {
  /** The open block's text: everything not frozen yet. */
  private buffer = '';
  /** Offset in `buffer` of the first line not scanned yet. */
  private scanPos = 0;
  /** Offsets in `buffer` where the scan ended a block that the judge has not confirmed yet. */
  private candidates: number[] = [];
  /** Offset in `buffer` where the block being scanned starts. */
  private blockStart = 0;
  private kind: BlockKind = 'empty';
  /** The block being scanned has had a list item: a list may go on after a blank line. */
  private mayHoldList = false;
  /** The column where the text of the last list item starts. */
  private itemContent = 0;
  private fence: OpenFenceState | undefined;
  private previousBlank = false;

  /** Without a judge every boundary the scan finds is final. */
  constructor(private readonly judge?: BoundaryJudge) {}

  /** Adds streamed text; returns the blocks it finished, in order (markdown source, trailing blank lines kept). */
  push(text: string): string[] {
    this.buffer += text;
    let scanned = false;
    let newline = this.buffer.indexOf('\n', this.scanPos);
    while (newline !== -1) {
      const lineStart = this.scanPos;
      const line = this.buffer.slice(lineStart, newline).replace(/\r$/, '');
      this.scanPos = newline + 1;
      const boundary = this.scanLine(line, lineStart, this.scanPos);
      if (boundary !== undefined) {
        this.candidates.push(boundary);
      }
      scanned = true;
      newline = this.buffer.indexOf('\n', this.scanPos);
    }
    // A verdict can change only once another line is complete.
    return scanned ? this.settle() : [];
  }

  /** The text of the block still being written (may end in the middle of a line). */
  get openBlock(): string {
    return this.buffer;
  }

  /** Set while the open block is a top-level fenced code block that has not closed yet. */
  get openFence(): OpenFence | undefined {
    return this.fence?.top && this.blockStart === 0
      ? { language: this.fence.language, contentStart: this.fence.contentStart }
      : undefined;
  }

  /** Ends the stream: returns the last block (possibly empty) and resets. */
  finish(): string {
    const rest = this.buffer;
    this.buffer = '';
    this.scanPos = 0;
    this.candidates = [];
    this.startBlock(0);
    this.fence = undefined;
    return rest;
  }

  /** Scans one complete line; returns the offset of a boundary when the line completes a block or starts one. */
  private scanLine(line: string, lineStart: number, lineEnd: number): number | undefined {
    const indent = /^ */.exec(line)?.[0].length ?? 0;
    const blank = BLANK.test(line);
    if (this.fence?.itemIndent !== undefined && !blank && indent < this.fence.itemIndent) {
      // A line left of the list item's fence ends the item, and the fence with it.
      this.fence = undefined;
    }
    if (this.fence) {
      const close = FENCE_CLOSE.exec(line);
      if (close && close[1][0] === this.fence.char && close[1].length >= this.fence.length) {
        const wasTopFence = this.fence.top;
        this.fence = undefined;
        this.previousBlank = false;
        if (wasTopFence) {
          this.startBlock(lineEnd);
          return lineEnd;
        }
      }
      return undefined;
    }
    if (blank) {
      this.previousBlank = this.kind !== 'empty';
      return undefined;
    }
    const tabbed = line[indent] === '\t';
    const fenceOpen = FENCE_OPEN.exec(line);
    const opensFence = fenceOpen !== null && !(fenceOpen[2][0] === '`' && fenceOpen[3].includes('`'));
    const listItem = THEMATIC_BREAK.test(line) ? null : LIST_ITEM.exec(line);
    let boundary: number | undefined;
    if (this.kind !== 'empty') {
      // After a blank line a list goes on with its next item, or with a line indented into an item.
      const afterBlank = this.previousBlank && !tabbed && indent <= 3 && !(this.mayHoldList && (listItem !== null || indent > 0));
      const interrupts =
        indent === 0 && !tabbed && (opensFence || HEADING.test(line) || (BULLET_WITH_TEXT.test(line) && !this.mayHoldList));
      if (afterBlank || interrupts) {
        this.startBlock(lineStart);
        boundary = lineStart;
      }
    }
    if (this.kind === 'empty') {
      this.kind = opensFence && indent === 0 ? 'fence' : 'other';
    }
    if (listItem) {
      this.mayHoldList = true;
      // After the marker, one to four spaces belong to it; with no text or more spaces, one does.
      const spaces = listItem[2]?.length ?? 0;
      this.itemContent = listItem[1].length + (listItem[3] && spaces <= 4 ? spaces : 1);
    }
    if (opensFence) {
      this.fence = {
        char: fenceOpen[2][0],
        length: fenceOpen[2].length,
        language: fenceOpen[3].trim().split(/\s+/)[0] ?? '',
        contentStart: lineEnd,
        top: this.kind === 'fence',
        itemIndent: this.mayHoldList && indent >= this.itemContent ? indent : undefined,
      };
    }
    this.previousBlank = false;
    return boundary;
  }

  private startBlock(offset: number): void {
    this.blockStart = offset;
    this.kind = 'empty';
    this.mayHoldList = false;
    this.itemContent = 0;
    this.previousBlank = false;
  }

  /** Freezes the text before each final boundary; boundaries not decided yet wait for more lines. */
  private settle(): string[] {
    if (this.candidates.length === 0) {
      return [];
    }
    const verdicts = this.judge?.(this.buffer, this.candidates) ?? this.candidates.map((): BoundaryVerdict => 'final');
    const blocks: string[] = [];
    let cut = 0;
    let waiting: number[] = [];
    this.candidates.forEach((offset, index) => {
      if (verdicts[index] === 'final') {
        blocks.push(this.buffer.slice(cut, offset));
        cut = offset;
        waiting = [];
      } else if (verdicts[index] === 'not yet') {
        waiting.push(offset);
      }
    });
    this.candidates = waiting.map((offset) => offset - cut);
    if (cut > 0) {
      this.buffer = this.buffer.slice(cut);
      this.scanPos -= cut;
      this.blockStart -= cut;
      if (this.fence) this.fence.contentStart -= cut;
    }
    return blocks;
  }
}
