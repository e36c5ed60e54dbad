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
