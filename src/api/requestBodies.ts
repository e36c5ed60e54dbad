/** The request bodies of both endpoints, from one ResponseRequest, and the usage line of the log. */
import type { ResponseRequest, Usage } from './types';

export function describeUsage(usage: Usage | undefined): string {
  if (!usage) return 'usage n/a';
  const reasoning = usage.reasoningTokens !== undefined ? ` reasoning=${usage.reasoningTokens}` : '';
  return `usage in=${usage.inputTokens} out=${usage.outputTokens} total=${usage.totalTokens}${reasoning}`;
}

/** `instructions`, `max_output_tokens` and `reasoning` in the Chat Completions vocabulary. */
export function chatCompletionsBody(request: ResponseRequest): Record<string, unknown> {
  const messages: { role: string; content: string }[] = [];
  if (request.instructions !== undefined && request.instructions.trim() !== '') {
    messages.push({ role: 'system', content: request.instructions });
  }
  for (const message of request.input) {
    messages.push({ role: message.role === 'developer' ? 'system' : message.role, content: message.content });
  }
  const body: Record<string, unknown> = { model: request.model, messages, stream: request.stream === true };
  if (request.stream === true) body.stream_options = { include_usage: true };
  if (request.max_output_tokens !== undefined) body.max_tokens = request.max_output_tokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.reasoning !== undefined) body.reasoning_effort = request.reasoning.effort;
  return body;
}

export function responsesBody(request: ResponseRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    input: request.input.map((message) => ({ role: message.role, content: message.content })),
    stream: request.stream === true,
  };
  if (request.instructions !== undefined && request.instructions.trim() !== '') body.instructions = request.instructions;
  if (request.max_output_tokens !== undefined) body.max_output_tokens = request.max_output_tokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.reasoning !== undefined) body.reasoning = { effort: request.reasoning.effort };
  return body;
}

