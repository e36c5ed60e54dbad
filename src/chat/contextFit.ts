/**
 * Fitting a turn's request to the model's context window: plain data, no vscode. What the server counted for the last
 * request is taken as exact; only the text since is estimated (src/context/tokenEstimate.ts).
 */
import type { InputMessage } from '../api/index';
import { fitHistory } from '../context/fitHistory';
import type { Calibration } from '../context/tokenEstimate';
import { UNCALIBRATED, calibrate, calibratedTokens, estimateMessages, estimateTokens } from '../context/tokenEstimate';
import type { Conversation } from './conversation';
import { buildInput, earlierTurnInput, omittedTurnsOf, userContent } from './conversation';

export type ConversationFit =
  /** `omitted`: how many of the conversation's first turns the request leaves out; `tokens`: about what it sends. */
  | { readonly kind: 'fits'; readonly omitted: number; readonly input: InputMessage[]; readonly tokens: number }
  /** The question of the turn (its quoted code, the instructions) alone is `tokens`, over `budget`: nothing is sent. */
  | { readonly kind: 'tooLarge'; readonly tokens: number; readonly budget: number };

/**
 * The input for turn `index` within `budget` tokens: the oldest earlier turns are left out first (from where Retry
 * With Fewer Turns left the conversation, if further on), never the turn's own question.
 */
export function fitConversation(conversation: Conversation, index: number, budget: number, instructions?: string): ConversationFit {
  const current = conversation.turns[index];
  const userStart = Math.min(omittedTurnsOf(conversation), index);
  const calibration = calibrationOf(conversation, index, instructions);
  const fixed = calibratedTokens(instructionTokens(instructions) + estimateMessages([{ content: userContent(current) }]), calibration);
  const costOf = (earlier: number): number => Math.ceil(estimateMessages(earlierTurnInput(conversation.turns[userStart + earlier])) * calibration.ratio);
  const fit = fitHistory({ fixed, earlierCount: Math.max(0, index - userStart), costOf }, budget);
  if (fit.kind === 'tooLarge') return fit;
  const omitted = userStart + fit.leftOut;
  return { kind: 'fits', omitted, input: buildInput(conversation, index, omitted), tokens: fit.tokens };
}

/**
 * Calibrates the estimate with the last earlier answer whose input the server counted: that request, rebuilt as it
 * was sent (from its own `omittedTurns`), against the count.
 */
export function calibrationOf(conversation: Conversation, index: number, instructions?: string): Calibration {
  for (let at = Math.min(index, conversation.turns.length) - 1; at >= 0; at -= 1) {
    const turn = conversation.turns[at];
    const reported = turn.usage?.inputTokens;
    if (!reported) continue;
    const sent = buildInput(conversation, at, turn.omittedTurns ?? 0);
    return calibrate(reported, instructionTokens(instructions) + estimateMessages(sent));
  }
  return UNCALIBRATED;
}

function instructionTokens(instructions: string | undefined): number {
  return instructions ? estimateTokens(instructions) : 0;
}
