/** Removes API keys from text before it is logged or shown. Pure: used by the logger and by error reporting. */
const KEY_PATTERN = /\b(sk-|sess-)[A-Za-z0-9_-]{6,}/g;
const BEARER_PATTERN = /(Bearer\s+)[^\s"',]+/gi;

export function redactSecrets(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) {
      result = result.split(secret).join('[redacted]');
    }
  }
  return result.replace(BEARER_PATTERN, '$1[redacted]').replace(KEY_PATTERN, '$1[redacted]');
}
