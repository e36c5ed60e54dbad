/** Keeping the API key out of every message, log line and snapshot. */

/** `sk-abcdef…wxyz` → `sk-…wxyz`; short keys show nothing of themselves. */
export function maskKey(key: string): string {
  const trimmed = key.trim();
  if (trimmed.length === 0) {
    return '';
  }
  const dash = trimmed.indexOf('-');
  const prefix = dash > 0 && dash <= 4 ? trimmed.slice(0, dash + 1) : '';
  if (trimmed.length < 12) {
    return `${prefix}…`;
  }
  return `${prefix}…${trimmed.slice(-4)}`;
}

/**
 * The stored key, wherever `text` holds it, in its masked form; nothing else changes (for text the user attaches or
 * explains, whose bearer tokens and key-shaped strings are theirs to send).
 */
export function hideKey(text: string, key: string | undefined): string {
  const trimmed = key?.trim() ?? '';
  return trimmed.length >= 4 && text.includes(trimmed) ? text.split(trimmed).join(maskKey(trimmed)) : text;
}

/** Replaces the key (and any bearer token) in `text` by its masked form. */
export function redact(text: string, key: string | undefined): string {
  let out = text;
  const trimmed = key?.trim() ?? '';
  if (trimmed.length >= 4) {
    out = out.split(trimmed).join(maskKey(trimmed));
    const encoded = encodeURIComponent(trimmed);
    if (encoded !== trimmed) {
      out = out.split(encoded).join(maskKey(trimmed));
    }
  }
  return out.replace(/\b(Bearer\s+)(?!sk-…)[^\s"',;]+/gi, '$1***');
}

/** Anything that looks like a key, for lines that may carry a key the extension never saw (a pasted setting). */
const KEY_PATTERN = /\b(sk-|sess-)[A-Za-z0-9_-]{6,}/g;

/**
 * Removes API keys from text before it is logged or shown: every known secret masked as above, then anything shaped
 * like a key. The extension imports this leaf module directly: it does not load the HTTP client.
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    result = redact(result, secret);
  }
  return redact(result, undefined).replace(KEY_PATTERN, '$1[redacted]');
}
