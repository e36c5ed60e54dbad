/** The request bodies of both endpoints, from one ResponseRequest, and the usage line of the log. */
import type { ResponseRequest, Usage } from './types';

export function describeUsage(usage: Usage | undefined): string {
  if (!usage) return 'usage n/a';
  const reasoning = usage.reasoningTokens !== undefined ? ` reasoning=${usage.reasoningTokens}` : '';
  return `usage in=${usage.inputTokens} out=${usage.outputTokens} total=${usage.totalTokens}${reasoning}`;
}

/**
 * Whether a model takes its output limit as `max_completion_tokens` on Chat Completions: OpenAI's o-series (o1, o3,
 * o4-mini, …) and GPT-5 models (gpt-5, gpt-5.1, gpt-5-mini, …) reject `max_tokens`. A relay's vendor prefix
 * (`openai/o3`) is ignored. Other models keep `max_tokens`, which most relays' other upstreams only know.
 */
export function takesMaxCompletionTokens(model: string): boolean {
  const name = model.trim().toLowerCase().split('/').pop() ?? '';
  return /^o\d+(?![a-z\d])/.test(name) || /^gpt-5(?!\d)/.test(name);
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
  if (request.max_output_tokens !== undefined) {
    body[takesMaxCompletionTokens(request.model) ? 'max_completion_tokens' : 'max_tokens'] = request.max_output_tokens;
  }
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

