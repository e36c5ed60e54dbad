import type { InputMessage, ResponseRequest } from '../api/index';
import type { ExtensionConfig } from '../config/config';

/**
 * The request body from the settings: the conversation as `input`, plus model, instructions, limits and reasoning
 * effort. Pure, so it is unit-tested in plain Node; every feature (chat, selection commands) builds through it.
 */
export function buildRequest(config: ExtensionConfig, input: readonly InputMessage[], stream = config.stream): ResponseRequest {
  const request: ResponseRequest = { model: config.model, input: [...input], stream };
  if (config.instructions) request.instructions = config.instructions;
  if (config.maxOutputTokens !== undefined) request.max_output_tokens = config.maxOutputTokens;
  if (config.temperature !== undefined) request.temperature = config.temperature;
  if (config.reasoningEffort) request.reasoning = { effort: config.reasoningEffort };
  return request;
}
