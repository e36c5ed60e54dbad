import { MarkdownBlockSplitter } from '../shared/blockSplitter';
import { renderMarkdown } from './markdown';

/** An open block larger than this is shown as plain text until it is finished (re-rendering it would stall). */
const MAX_LIVE_MARKDOWN = 32_000;

/**
 * Frozen blocks are kept in groups of this many: appending a block then lays out one small group and the list of
 * groups, not every block so far (a parent with thousands of children costs a layout pass per delta).
 */
const BLOCKS_PER_GROUP = 64;

/** Called for every element that newly holds rendered markdown (adds the code block toolbars). */
export type DecorateRendered = (element: HTMLElement) => void;

/**
 * Renders one streaming answer. Finished top-level blocks are rendered once and frozen; only the open block is
 * re-rendered, at most once per animation frame, and an open code fence only gets its new text appended. So the
 * cost of a delta depends on the size of the delta and of the open block, never on the length of the answer.
 */
export class StreamView {
  private readonly splitter = new MarkdownBlockSplitter();
  private readonly frozen: HTMLElement;
  private readonly open: HTMLElement;
  private pending = '';
  private frameRequested = false;
  private blockSerial = 0;
  private fence: { serial: number; code: HTMLElement; appended: number } | undefined;
  private group: HTMLElement | undefined;
  private groupSize = 0;
  private received = '';
  private finished = false;

  constructor(
    private readonly container: HTMLElement,
    private readonly decorate: DecorateRendered,
    private readonly onRendered: () => void,
  ) {
    this.frozen = document.createElement('div');
    this.frozen.className = 'blocks';
    this.open = document.createElement('div');
    this.open.className = 'open-block';
    this.container.replaceChildren(this.frozen, this.open);
  }

  /** All text received so far (the host's answer should equal it once done). */
  get text(): string {
    return this.received;
  }

  append(text: string): void {
    if (this.finished || !text) return;
    this.received += text;
    this.pending += text;
    if (!this.frameRequested) {
      this.frameRequested = true;
      requestAnimationFrame(() => {
        this.frameRequested = false;
        this.render();
      });
    }
  }

  /** The answer ended: the open block becomes a frozen one. */
  finish(): void {
    if (this.finished) return;
    this.render();
    this.finished = true;
    const rest = this.splitter.finish();
    this.fence = undefined;
    this.open.replaceChildren();
    if (rest.trim()) {
      this.freeze(rest);
    }
    this.onRendered();
  }

  private render(): void {
    if (this.finished) return;
    const text = this.pending;
    this.pending = '';
    for (const block of this.splitter.push(text)) {
      this.blockSerial++;
      this.freeze(block);
    }
    this.renderOpenBlock();
    this.onRendered();
  }

  private freeze(markdown: string): void {
    const element = document.createElement('div');
    element.className = 'block';
    element.innerHTML = renderMarkdown(markdown);
    this.decorate(element);
    if (!this.group || this.groupSize >= BLOCKS_PER_GROUP) {
      this.group = document.createElement('div');
      this.group.className = 'block-group';
      this.groupSize = 0;
      this.frozen.appendChild(this.group);
    }
    this.group.appendChild(element);
    this.groupSize++;
  }

  private renderOpenBlock(): void {
    const block = this.splitter.openBlock;
    const openFence = this.splitter.openFence;
    if (openFence) {
      if (this.fence?.serial !== this.blockSerial) {
        const pre = document.createElement('pre');
        const code = document.createElement('code');
        if (openFence.language) code.className = `language-${openFence.language.replace(/[^\w+-]/g, '')}`;
        pre.appendChild(code);
        this.open.replaceChildren(pre);
        this.fence = { serial: this.blockSerial, code, appended: 0 };
      }
      const content = block.slice(openFence.contentStart + this.fence.appended);
      if (content) {
        this.fence.code.appendChild(document.createTextNode(content));
        this.fence.appended += content.length;
      }
      return;
    }
    this.fence = undefined;
    if (block.length > MAX_LIVE_MARKDOWN) {
      const pre = document.createElement('div');
      pre.className = 'plain-open-block';
      pre.textContent = block;
      this.open.replaceChildren(pre);
      return;
    }
    this.open.innerHTML = block.trim() ? renderMarkdown(block) : '';
  }
}
