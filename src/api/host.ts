/** `host:port` of a URL, for facts, messages and log lines; the text itself when it is no URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
