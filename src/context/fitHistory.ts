/** Fitting a conversation's history to the input budget: the oldest turns are left out first. */

export interface HistoryCosts {
  /** What every request of the turn carries and nothing may leave out: the current question, its code, the instructions. */
  readonly fixed: number;
  /** How many earlier turns the request may send. */
  readonly earlierCount: number;
  /** The tokens earlier turn `index` (0: the oldest) adds, 0 for one not sent anyway. Asked newest first, only as far as needed. */
  readonly costOf: (index: number) => number;
}

export type HistoryFit =
  /** `leftOut`: how many of the earlier turns, from the oldest, stay out; `tokens`: the input that is sent. */
  | { readonly kind: 'fits'; readonly leftOut: number; readonly tokens: number }
  /** The current question alone is over the budget: nothing is sent. */
  | { readonly kind: 'tooLarge'; readonly tokens: number; readonly budget: number };

/**
 * Leaves out as few of the oldest earlier turns as the budget needs; never the current question. Newest first, so a
 * long history is measured only as far back as the window reaches.
 */
export function fitHistory({ fixed, earlierCount, costOf }: HistoryCosts, budget: number): HistoryFit {
  if (fixed > budget) return { kind: 'tooLarge', tokens: fixed, budget };
  let tokens = fixed;
  let first = earlierCount;
  while (first > 0) {
    const cost = costOf(first - 1);
    if (tokens + cost > budget) break;
    tokens += cost;
    first -= 1;
  }
  return { kind: 'fits', leftOut: first, tokens };
}
