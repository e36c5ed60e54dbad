/**
 * How many tokens a text is, without a tokenizer: o200k_base's tables alone would put the .vsix over 1 MB. The
 * estimate is per script (o200k_base reads about 4 characters of English or code per token, about 0.7 tokens per
 * Chinese or Japanese character, and other tokenizers read CJK at up to 1.3), then calibrated against the input
 * tokens the server reported for the last request.
 */

/** What a message costs beyond its text (role and framing), as OpenAI counts chat messages. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;

/** Estimated tokens of `text`: ASCII at 4 characters a token, CJK at one token a character, emoji at two. */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let cjk = 0;
  let pictographs = 0;
  let other = 0;
  for (const character of text) {
    if (character.charCodeAt(0) < 0x80) ascii += 1;
    else if (CJK.test(character)) cjk += 1;
    else if (PICTOGRAPH.test(character)) pictographs += 1;
    // Accented Latin, Cyrillic, Greek, combining marks, variation selectors.
    else other += 1;
  }
  return Math.ceil(ascii / 4 + cjk + pictographs * 2 + other / 3);
}

/** Estimated tokens of the messages of a request, their framing included. */
export function estimateMessages(messages: readonly { readonly content: string }[]): number {
  return messages.reduce((sum, message) => sum + MESSAGE_OVERHEAD_TOKENS + estimateTokens(message.content), 0);
}

/**
 * From estimated tokens to the server's count. `ratio` scales the estimate; `overhead` is what the server counted
 * that the ratio cannot explain (a relay's own system prompt), added once per request.
 */
export interface Calibration {
  readonly ratio: number;
  readonly overhead: number;
}

export const UNCALIBRATED: Calibration = { ratio: 1, overhead: 0 };

/** A count this far from the estimate says more about the relay than about the text: the rest is overhead. */
const MIN_RATIO = 0.5;
const MAX_RATIO = 2;

/**
 * The calibration that turns `estimated` (the estimate of what the last request sent) into `reported` (the input
 * tokens the server counted for it): so what was sent before counts exactly, and only new text is estimated.
 */
export function calibrate(reported: number, estimated: number): Calibration {
  if (!(reported > 0) || !(estimated > 0)) return UNCALIBRATED;
  const ratio = Math.min(MAX_RATIO, Math.max(MIN_RATIO, reported / estimated));
  // Never below zero: a server that counts far less than estimated leaves the estimate on the safe side.
  return { ratio, overhead: Math.max(0, Math.round(reported - ratio * estimated)) };
}

/** The server's count for a request whose estimate is `estimated`. */
export function calibratedTokens(estimated: number, calibration: Calibration): number {
  return Math.ceil(estimated * calibration.ratio) + calibration.overhead;
}
