// Finding a conversation by what was asked or answered in it (Show Conversations). No vscode: unit-tested in Node.
import type { Conversation } from './conversation';

/** How much of the text around a match the list shows. */
const SNIPPET_CHARS = 90;

/**
 * Where `query` occurs in the conversation's questions or answers (case-insensitive), as a one-line snippet around
 * the first occurrence; undefined when it does not.
 */
export function findInConversation(conversation: Conversation, query: string): string | undefined {
  const needle = query.trim().toLocaleLowerCase();
  if (needle.length < 2) return undefined;
  for (const turn of conversation.turns) {
    for (const text of [turn.question, turn.answer]) {
      const at = text.toLocaleLowerCase().indexOf(needle);
      if (at < 0) continue;
      const start = Math.max(0, at - Math.floor((SNIPPET_CHARS - needle.length) / 2));
      const end = Math.min(text.length, start + SNIPPET_CHARS);
      const snippet = text.slice(start, end).replace(/\s+/g, ' ').trim();
      return `${start > 0 ? '…' : ''}${snippet}${end < text.length ? '…' : ''}`;
    }
  }
  return undefined;
}
