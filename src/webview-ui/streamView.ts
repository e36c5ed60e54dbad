import { MarkdownBlockSplitter } from '../shared/blockSplitter';
import { renderMarkdown } from './markdown';
import type { ReferenceScope } from './markdownIt';
import { definitionCount, judgeBoundaries } from './markdownIt';

/** An open block larger than this is shown as plain text until it is finished (re-rendering it would stall). */
const MAX_LIVE_MARKDOWN = 32_000;

/**
 * Frozen blocks are kept in groups of about this many: appending a block then lays out one small group and the list
 * of groups, not every block so far (a parent with thousands of children costs a layout pass per delta).
 */
const BLOCKS_PER_GROUP = 64;

/**
 * A streaming answer is rendered at most this often (about 20 times a second, still smooth to read): every render
 * styles, lays out and paints the view, a cost that depends on how many renders there are, not on the text's length.
 */
const MIN_RENDER_INTERVAL_MS = 48;

/** Called for every element that newly holds rendered markdown (adds the code block toolbars). */
export type DecorateRendered = (element: HTMLElement) => void;

/** A frozen block that may hold a reference link (`[text][label]`): a definition may come after it. */
interface LinkBlock {
  element: HTMLElement;
  source: string;
  html: string;
  /** How many definitions were known when it was rendered. */
  definitions: number;
}

/**
 * Renders one streaming answer. Finished top-level blocks are rendered once and frozen; only the open block is
 * re-rendered, at most every MIN_RENDER_INTERVAL_MS in an animation frame, and an open code fence only gets its new
 * text appended. So the cost of a delta depends on the size of the delta and of the open block, never on the length
 * of the answer.
 *
 * A block is frozen only where markdown-it confirms it ends (`judgeBoundaries`), and each is rendered with the
 * definitions found so far; blocks that a later definition changes are rendered again when the answer finishes.
 * So a finished answer shows exactly what rendering it at once shows.
 */
export class StreamView {
  private readonly splitter = new MarkdownBlockSplitter(judgeBoundaries);
  private readonly scope: ReferenceScope = {};
  private linkBlocks: LinkBlock[] = [];
  private readonly frozen: HTMLElement;
  private readonly open: HTMLElement;
  private pending = '';
  private frameRequested = false;
  private lastRender = -Infinity;
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
      const wait = this.lastRender + MIN_RENDER_INTERVAL_MS - performance.now();
      const render = (): void => {
        this.frameRequested = false;
        this.lastRender = performance.now();
        this.render();
      };
      // The first text at the next frame; after that at most every MIN_RENDER_INTERVAL_MS, in a frame.
      if (wait <= 0) requestAnimationFrame(render);
      else setTimeout(() => requestAnimationFrame(render), wait);
    }
  }

  /**
   * Takes a finished answer's text, a piece at a time: finished blocks are rendered, the open one waits for the next
   * piece (or `finish`). Shows a long answer without one long task, exactly as rendering it at once would.
   */
  feed(text: string): void {
    if (this.finished || !text) return;
    this.received += text;
    this.freezeAll(this.splitter.push(text));
  }

  /** The answer ended: the open block becomes a frozen one, and links defined late are resolved. */
  finish(): void {
    if (this.finished) return;
    // Without new text the open block would only be rendered to be replaced below.
    if (this.pending) this.render();
    this.finished = true;
    const rest = this.splitter.finish();
    this.fence = undefined;
    this.open.replaceChildren();
    if (rest.trim()) {
      this.freeze(rest);
    }
    this.resolveLateDefinitions();
    this.onRendered();
  }

  private render(): void {
    if (this.finished) return;
    const text = this.pending;
    this.pending = '';
    this.freezeAll(this.splitter.push(text));
    this.renderOpenBlock();
    this.onRendered();
  }

  /**
   * Blocks finished by one piece of text are rendered together, in one element: a rendering has a fixed cost
   * (markdown-it's rules, DOMPurify's set-up) larger than a small block's own, so one call per block would cost an
   * answer of thousands of small blocks several times rendering it at once.
   */
  private freezeAll(blocks: readonly string[]): void {
    if (blocks.length === 0) return;
    this.blockSerial += blocks.length;
    this.freeze(blocks.join(''), blocks.length);
  }

  private freeze(markdown: string, blocks = 1): void {
    const element = document.createElement('div');
    element.className = 'block';
    const html = renderMarkdown(markdown, this.scope);
    element.innerHTML = html;
    this.decorate(element);
    if (markdown.includes('[')) {
      this.linkBlocks.push({ element, source: markdown, html, definitions: definitionCount(this.scope) });
    }
    if (!this.group || this.groupSize >= BLOCKS_PER_GROUP) {
      this.group = document.createElement('div');
      this.group.className = 'block-group';
      this.groupSize = 0;
      this.frozen.appendChild(this.group);
    }
    this.group.appendChild(element);
    this.groupSize += blocks;
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
    // A definition in the open block may still change: it is rendered with a copy of the scope.
    this.open.innerHTML = block.trim() ? renderMarkdown(block, { references: { ...this.scope.references } }) : '';
  }

  /** Renders again, in place, the blocks that use a definition which came after them. */
  private resolveLateDefinitions(): void {
    const known = definitionCount(this.scope);
    const stale = this.linkBlocks.filter((block) => block.definitions < known);
    this.linkBlocks = [];
    if (stale.length === 0) return;
    keepingScrollPosition(this.frozen, () => {
      for (const block of stale) {
        const html = renderMarkdown(block.source, this.scope);
        if (html !== block.html) this.replaceContent(block.element, html);
      }
    });
  }

  /** Swaps only the top-level nodes that changed: the others (and their code toolbars) stay as they are. */
  private replaceContent(element: HTMLElement, html: string): void {
    const fresh = document.createElement('div');
    fresh.innerHTML = html;
    this.decorate(fresh);
    const before = Array.from(element.childNodes);
    const after = Array.from(fresh.childNodes);
    if (before.length !== after.length) {
      element.replaceChildren(...after);
      return;
    }
    before.forEach((node, index) => {
      if (!node.isEqualNode(after[index])) node.replaceWith(after[index]);
    });
  }
}

/**
 * Runs `change` keeping where it is on the screen the first rendered element in view (or, if the change replaced
 * that element, its block).
 */
function keepingScrollPosition(frozen: HTMLElement, change: () => void): void {
  const scroller = scrollingAncestor(frozen);
  const viewTop = scroller === document.scrollingElement ? 0 : scroller.getBoundingClientRect().top;
  const anchors = anchorsBelow(frozen, viewTop).map((element) => ({ element, top: element.getBoundingClientRect().top }));
  change();
  const anchor = anchors.find(({ element }) => element.isConnected);
  if (anchor) {
    scroller.scrollTop += anchor.element.getBoundingClientRect().top - anchor.top;
  }
}

function scrollingAncestor(element: HTMLElement): Element {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if ((overflow === 'auto' || overflow === 'scroll') && node.scrollHeight > node.clientHeight) return node;
  }
  return document.scrollingElement ?? document.documentElement;
}

/**
 * The first rendered element (a paragraph, a list…) whose bottom is below `viewTop`, then its block: looking into
 * one group and one block only.
 */
function anchorsBelow(frozen: HTMLElement, viewTop: number): Element[] {
  const below = (parent: Element | undefined): Element | undefined =>
    Array.from(parent?.children ?? []).find((candidate) => candidate.getBoundingClientRect().bottom > viewTop);
  const block = below(below(frozen));
  const element = below(block);
  return [element, block].filter((candidate): candidate is Element => candidate !== undefined);
}
