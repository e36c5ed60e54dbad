import DOMPurify from 'dompurify';
import type { ReferenceScope } from './markdownIt';
import { isSafeLink, renderMarkdownUnsanitised } from './markdownIt';

/** Exactly the markup markdown-it produces for answers; everything else is removed. */
const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'pre', 'code', 'span',
  'em', 'strong', 's', 'del', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'sup', 'sub',
];
const ALLOWED_ATTR = ['class', 'title', 'data-href', 'role', 'tabindex', 'start'];

let hooked = false;

function installHooks(): void {
  if (hooked) {
    return;
  }
  hooked = true;
  // Set once: given to every call, the configuration would be parsed again each time, a fixed cost per rendering.
  DOMPurify.setConfig({
    ALLOWED_TAGS: [...ALLOWED_TAGS, 'div'],
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
    IN_PLACE: true,
  });
  DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName === 'data-href' && !isSafeLink(data.attrValue)) {
      data.keepAttr = false;
    }
    if (data.attrName === 'tabindex' && data.attrValue !== '0') {
      data.keepAttr = false;
    }
  });
}

/**
 * The sanitised HTML of a complete answer: the one path every piece of model output takes into the view.
 * Model output is hostile input: no script, no inline handler, no style, no image, no `href` at all.
 * A part of an answer is rendered with the `scope` of the definitions found so far (see `ReferenceScope`).
 */
export function renderMarkdown(markdown: string, scope?: ReferenceScope): string {
  installHooks();
  // Parsed into an inert template and cleaned in place: DOMPurify would otherwise make a whole new document for
  // every call, which is most of the garbage of rendering a long answer block by block.
  const template = document.createElement('template');
  template.innerHTML = `<div>${renderMarkdownUnsanitised(markdown, scope)}</div>`;
  const root = template.content.firstElementChild as HTMLElement;
  DOMPurify.sanitize(root);
  return root.innerHTML;
}
