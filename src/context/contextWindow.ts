/** The model's context window and how much of it a request's input may use. */

/** The window when neither the user nor the relay's model list says otherwise. */
export const DEFAULT_CONTEXT_WINDOW_TOKENS = 128_000;

/** Kept for the answer when `anyapi.maxOutputTokens` is unset, at most a quarter of the window. */
export const DEFAULT_ANSWER_RESERVE_TOKENS = 16_000;

/** What the relay's model list says of a model (`/v1/models`). */
export interface ReportedWindow {
  /** The whole window, input and answer (`context_length`, `context_window`, …). */
  readonly contextLength?: number;
  /** The most input the model takes (`max_input_tokens`), when the relay says so. */
  readonly maxInputTokens?: number;
}

export interface ContextLimits {
  /** The window of the model, in tokens. */
  readonly windowTokens: number;
  /** Where the window comes from: the user's setting, the relay's model list, or the default. */
  readonly source: 'setting' | 'relay' | 'default';
  /** Kept free for the answer: `anyapi.maxOutputTokens` (at most half the window), or a reserve when unset. */
  readonly reservedTokens: number;
  /** The most input tokens a request may carry. */
  readonly inputBudget: number;
}

export interface ContextLimitInputs {
  /** `anyapi.contextWindowTokens` when the user set it. */
  readonly chosenWindow?: number;
  readonly reported?: ReportedWindow;
  /** `anyapi.maxOutputTokens`, when set. */
  readonly maxOutputTokens?: number;
}

/** The user's setting first (they may know the relay caps it), then the relay's model list, then the default. */
export function contextLimits({ chosenWindow, reported, maxOutputTokens }: ContextLimitInputs): ContextLimits {
  // Half the window at most, so a large anyapi.maxOutputTokens set for another model does not leave the input nothing.
  const reserveOf = (window: number): number =>
    maxOutputTokens ? Math.min(maxOutputTokens, Math.floor(window / 2)) : Math.min(DEFAULT_ANSWER_RESERVE_TOKENS, Math.floor(window / 4));
  if (chosenWindow) return limitsOf(chosenWindow, 'setting', reserveOf(chosenWindow));
  const { contextLength, maxInputTokens } = reported ?? {};
  if (contextLength) {
    const limits = limitsOf(contextLength, 'relay', reserveOf(contextLength));
    // The relay's own input limit binds as well (a window of 400k may take only 272k of input).
    return maxInputTokens && maxInputTokens < limits.inputBudget ? { ...limits, inputBudget: maxInputTokens } : limits;
  }
  if (maxInputTokens) {
    const reservedTokens = reserveOf(maxInputTokens * (4 / 3));
    return { windowTokens: maxInputTokens + reservedTokens, source: 'relay', reservedTokens, inputBudget: maxInputTokens };
  }
  return limitsOf(DEFAULT_CONTEXT_WINDOW_TOKENS, 'default', reserveOf(DEFAULT_CONTEXT_WINDOW_TOKENS));
}

function limitsOf(windowTokens: number, source: ContextLimits['source'], reservedTokens: number): ContextLimits {
  return { windowTokens, source, reservedTokens, inputBudget: Math.max(0, windowTokens - reservedTokens) };
}
