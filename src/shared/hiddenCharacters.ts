/**
 * Characters that change what code does without showing (Trojan Source, CVE-2021-42574): bidirectional controls
 * that reorder what is displayed, and invisible ones (zero-width, word joiners, tags, a byte order mark mid-text).
 */
const hiddenPattern = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B-\u200D\u2060-\u2064\uFEFF\u00AD\u180E]|\uDB40[\uDC00-\uDC7F]/g;

/** How many hidden characters the text holds (0 for ordinary code). */
export function countHiddenCharacters(text: string): number {
  return text.match(hiddenPattern)?.length ?? 0;
}

/** The text without them, for "Insert Without Them". */
export function withoutHiddenCharacters(text: string): string {
  return text.replace(hiddenPattern, '');
}
