import type { ReportedWindow } from './contextWindow';

/**
 * The context windows the relay's model list reported, per base URL: whoever fetches `/v1/models` remembers them
 * here, and the chat reads them without a request of its own.
 */
const windows = new Map<string, Map<string, ReportedWindow>>();

/** A model of the list, as the client reads it (`ModelInfo`). */
export interface ListedModel extends ReportedWindow {
  readonly id: string;
}

/** Keeps the windows of `models`, replacing what an earlier list of the same server said. */
export function rememberReportedWindows(baseUrl: string, models: readonly ListedModel[]): void {
  const known = new Map<string, ReportedWindow>();
  for (const { id, contextLength, maxInputTokens } of models) {
    if (contextLength || maxInputTokens) known.set(id, { contextLength, maxInputTokens });
  }
  windows.set(serverKey(baseUrl), known);
}

/** What the last model list of `baseUrl` said of `model`, if it said anything. */
export function reportedWindow(baseUrl: string, model: string): ReportedWindow | undefined {
  return windows.get(serverKey(baseUrl))?.get(model);
}

export function forgetReportedWindows(): void {
  windows.clear();
}

/** `https://x/`, `https://x/v1` and `https://x` are one server. */
function serverKey(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '').replace(/\/v1$/i, '').toLowerCase();
}
