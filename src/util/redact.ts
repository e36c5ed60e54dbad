import { redact } from '../api/redact';

/** Anything that looks like a key, for lines that may carry a key the extension never saw (a pasted setting). */
const KEY_PATTERN = /\b(sk-|sess-)[A-Za-z0-9_-]{6,}/g;

/**
 * Removes API keys from text before it is logged or shown: every known secret by the client's own masking, then
 * anything shaped like a key. (`api/redact` is a leaf module: importing it does not load the HTTP client.)
 */
export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    result = redact(result, secret);
  }
  return redact(result, undefined).replace(KEY_PATTERN, '$1[redacted]');
}
