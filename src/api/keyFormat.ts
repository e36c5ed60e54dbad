// What an API key may hold. No imports: the extension's own bundle uses it without loading the client.

/**
 * How many characters of a key are not printable ASCII (a zero-width space pasted along, a line break, a full-width
 * letter): keys are printable ASCII, and anything else cannot travel in the Authorization header.
 */
export function strangeKeyCharacters(key: string): number {
  let count = 0;
  for (const char of key) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x21 || code > 0x7e) count++;
  }
  return count;
}
