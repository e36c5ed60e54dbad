import type { ResponseRequest } from '../api/index';
import type { ExtensionConfig } from '../config/config';

/** The request for one turn: the whole conversation as `input`, the settings as the other fields. */
export function buildRequest(config: ExtensionConfig, input: ResponseRequest['input']): ResponseRequest {
  const request: ResponseRequest = { model: config.model, input, stream: config.stream };
  if (config.instructions) request.instructions = config.instructions;
  if (config.maxOutputTokens !== undefined) request.max_output_tokens = config.maxOutputTokens;
  if (config.temperature !== undefined) request.temperature = config.temperature;
  if (config.reasoningEffort) request.reasoning = { effort: config.reasoningEffort };
  return request;
}
