/**
 * Payloads the fake AnyAPI server plays: Responses objects and SSE events, Chat Completions objects and
 * chunks, relay error bodies, and the fixed answers of the scenario markers. Plain data builders, no I/O.
 */
import { randomBytes } from 'node:crypto';

export type Json = Record<string, unknown>;

export function hexId(bytes = 24): string {
  return randomBytes(bytes).toString('hex');
}

let requestCounter = 0;

/** new-api style request id: a timestamp plus a counter, e.g. `20251130035959000000001`. */
export function newRequestId(): string {
  requestCounter++;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}${String(requestCounter).padStart(9, '0')}`;
}

/** Rough token count, stable for a given text (≈ 4 characters per token). */
export function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5|codex)/.test(model);
}

export interface AnswerUsage {
  input: number;
  output: number;
  reasoning: number;
}

export function usageFor(inputText: string, answer: string, model: string): AnswerUsage {
  return { input: tokens(inputText), output: tokens(answer), reasoning: isReasoningModel(model) ? 64 : 0 };
}

export function responsesUsage(u: AnswerUsage): Json {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: u.output + u.reasoning,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output + u.reasoning,
  };
}

export function chatUsage(u: AnswerUsage): Json {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output + u.reasoning,
    total_tokens: u.input + u.output + u.reasoning,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning },
  };
}

export interface ResponseParts {
  id: string;
  messageId: string;
  reasoningId?: string;
  model: string;
  createdAt: number;
}

export function newResponseParts(model: string): ResponseParts {
  const parts: ResponseParts = {
    id: `resp_${hexId()}`,
    messageId: `msg_${hexId()}`,
    model,
    createdAt: Math.floor(Date.now() / 1000),
  };
  if (isReasoningModel(model)) parts.reasoningId = `rs_${hexId()}`;
  return parts;
}

export const reasoningSummary = '**Reading the question**\n\nThe user wants a short answer.';

function messageItem(parts: ResponseParts, text: string, status: string): Json {
  return {
    id: parts.messageId,
    type: 'message',
    status,
    role: 'assistant',
    content: status === 'in_progress' ? [] : [{ type: 'output_text', text, annotations: [], logprobs: [] }],
  };
}

function reasoningItem(parts: ResponseParts, withSummary: boolean): Json {
  return {
    id: parts.reasoningId,
    type: 'reasoning',
    summary: withSummary ? [{ type: 'summary_text', text: reasoningSummary }] : [],
  };
}

export interface ResponseObjectOptions {
  status?: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  usage?: AnswerUsage;
  incompleteReason?: string;
  error?: { code: string; message: string };
}

/** A Responses API object (`object: "response"`). */
export function responseObject(parts: ResponseParts, text: string, options: ResponseObjectOptions = {}): Json {
  const status = options.status ?? 'completed';
  const output: Json[] = [];
  if (status !== 'in_progress') {
    if (parts.reasoningId) output.push(reasoningItem(parts, true));
    output.push(messageItem(parts, text, status === 'incomplete' ? 'incomplete' : 'completed'));
  }
  return {
    id: parts.id,
    object: 'response',
    created_at: parts.createdAt,
    status,
    background: false,
    error: options.error ?? null,
    incomplete_details: options.incompleteReason ? { reason: options.incompleteReason } : null,
    instructions: null,
    max_output_tokens: null,
    model: parts.model,
    output,
    parallel_tool_calls: true,
    reasoning: { effort: parts.reasoningId ? 'medium' : null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: status === 'in_progress' || !options.usage ? null : responsesUsage(options.usage),
    user: null,
    metadata: {},
  };
}

/** One SSE event in the OpenAI layout: `event:` line, `data:` line, blank line. */
export function sseEvent(data: Json, withEventLine = true): string {
  const type = typeof data.type === 'string' ? data.type : undefined;
  return `${withEventLine && type ? `event: ${type}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/** Splits text into deltas of about `size` characters, never inside a surrogate pair. */
export function splitDeltas(text: string, size: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end++;
    out.push(text.slice(start, end));
    start = end;
  }
  return out;
}

/** OpenAI pads delta events with a random `obfuscation` string; a fixed pool keeps long streams cheap. */
const obfuscations = Array.from({ length: 64 }, () => randomBytes(6).toString('base64url'));

export interface ResponsesStreamPlan {
  /** Events before the answer text (created, in_progress, reasoning summary, item and part added). */
  opening: string[];
  /** One `response.output_text.delta` event per delta. */
  deltas: string[];
  /** output_text.done, content_part.done, output_item.done and the terminal event. */
  closing: string[];
}

export interface ResponsesStreamOptions {
  deltas: string[];
  usage?: AnswerUsage;
  terminal?: 'completed' | 'incomplete' | 'failed' | 'none';
  incompleteReason?: string;
  error?: { code: string; message: string };
}

/** The full Responses event sequence of one answer, as OpenAI sends it. */
export function responsesStream(parts: ResponseParts, options: ResponsesStreamOptions): ResponsesStreamPlan {
  let seq = 0;
  const ev = (data: Json): string => sseEvent({ ...data, sequence_number: seq++ });
  const text = options.deltas.join('');
  const opening: string[] = [
    ev({ type: 'response.created', response: responseObject(parts, '', { status: 'in_progress' }) }),
    ev({ type: 'response.in_progress', response: responseObject(parts, '', { status: 'in_progress' }) }),
  ];
  let messageIndex = 0;
  if (parts.reasoningId) {
    messageIndex = 1;
    const item = { id: parts.reasoningId, output_index: 0 };
    opening.push(
      ev({ type: 'response.output_item.added', output_index: 0, item: reasoningItem(parts, false) }),
      ev({ type: 'response.reasoning_summary_part.added', item_id: item.id, output_index: 0, summary_index: 0, part: { type: 'summary_text', text: '' } }),
      ...splitDeltas(reasoningSummary, 16).map((delta) =>
        ev({ type: 'response.reasoning_summary_text.delta', item_id: item.id, output_index: 0, summary_index: 0, delta, obfuscation: obfuscations[0] }),
      ),
      ev({ type: 'response.reasoning_summary_text.done', item_id: item.id, output_index: 0, summary_index: 0, text: reasoningSummary }),
      ev({ type: 'response.reasoning_summary_part.done', item_id: item.id, output_index: 0, summary_index: 0, part: { type: 'summary_text', text: reasoningSummary } }),
      ev({ type: 'response.output_item.done', output_index: 0, item: reasoningItem(parts, true) }),
    );
  }
  opening.push(
    ev({ type: 'response.output_item.added', output_index: messageIndex, item: messageItem(parts, '', 'in_progress') }),
    ev({
      type: 'response.content_part.added',
      item_id: parts.messageId,
      output_index: messageIndex,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    }),
  );
  // Written by hand (same bytes as sseEvent) so that streams of thousands of deltas stay cheap to produce.
  const deltaHead = `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"${parts.messageId}","output_index":${messageIndex},"content_index":0,"delta":`;
  const deltas = options.deltas.map((delta) => {
    const n = seq++;
    return `${deltaHead}${JSON.stringify(delta)},"logprobs":[],"obfuscation":"${obfuscations[n % obfuscations.length]}","sequence_number":${n}}\n\n`;
  });
  const closing: string[] = [];
  const terminal = options.terminal ?? 'completed';
  if (terminal === 'completed' || terminal === 'incomplete') {
    closing.push(
      ev({ type: 'response.output_text.done', item_id: parts.messageId, output_index: messageIndex, content_index: 0, text, logprobs: [] }),
      ev({
        type: 'response.content_part.done',
        item_id: parts.messageId,
        output_index: messageIndex,
        content_index: 0,
        part: { type: 'output_text', text, annotations: [], logprobs: [] },
      }),
      ev({ type: 'response.output_item.done', output_index: messageIndex, item: messageItem(parts, text, terminal) }),
    );
  }
  const objectOptions: ResponseObjectOptions = { status: terminal === 'none' ? 'completed' : terminal };
  if (options.usage) objectOptions.usage = options.usage;
  if (options.incompleteReason) objectOptions.incompleteReason = options.incompleteReason;
  if (options.error) objectOptions.error = options.error;
  if (terminal !== 'none') {
    closing.push(ev({ type: `response.${terminal}`, response: responseObject(parts, text, objectOptions) }));
  }
  return { opening, deltas, closing };
}

/** A Chat Completions object, as in AnyAPI's own document (`choices[0].message.content`). */
export function chatCompletionObject(model: string, text: string, usage: AnswerUsage, finishReason = 'stop'): Json {
  return {
    id: `chatcmpl-${hexId(15)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finishReason }],
    usage: chatUsage(usage),
  };
}

/** Chat Completions stream chunks (`data:` lines only), with an optional usage chunk and `[DONE]`. */
export function chatCompletionChunks(
  model: string,
  deltas: string[],
  options: { usage?: AnswerUsage; finishReason?: string; done?: boolean } = {},
): string[] {
  const id = `chatcmpl-${hexId(15)}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: Json[], extra: Json = {}): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, system_fingerprint: null, choices, ...extra })}\n\n`;
  const out = [chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])];
  for (const delta of deltas) out.push(chunk([{ index: 0, delta: { content: delta }, finish_reason: null }]));
  out.push(chunk([{ index: 0, delta: {}, finish_reason: options.finishReason ?? 'stop' }]));
  if (options.usage) out.push(chunk([], { usage: chatUsage(options.usage) }));
  if (options.done !== false) out.push('data: [DONE]\n\n');
  return out;
}

/** new-api error body: `{"error":{"message":"… (request id: …)","type":"new_api_error","param":"","code":…}}`. */
export function newApiError(message: string, requestId: string, code: string | null = null): Json {
  return { error: { message: `${message} (request id: ${requestId})`, type: 'new_api_error', param: '', code } };
}

export function openAiError(message: string, type: string, code: string | null, param: string | null = null): Json {
  return { error: { message, type, param, code } };
}

/** Cloudflare's error page for 502 / 524, shortened but in its real shape. */
export function cloudflarePage(status: number, host: string): string {
  const title = status === 524 ? 'A timeout occurred' : 'Bad gateway';
  return `<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<html class="no-js" lang="en-US">
<head>
<title>${host} | ${status}: ${title}</title>
<meta charset="UTF-8" />
<meta name="robots" content="noindex, nofollow" />
<link rel="stylesheet" id="cf_styles-css" href="/cdn-cgi/styles/main.css" />
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="p-0">
    <header class="mx-auto pt-10 lg:pt-6 lg:px-8 w-240 lg:w-full mb-8">
      <h1 class="inline-block sm:block sm:mb-2 font-light text-60 lg:text-4xl text-black-dark leading-tight mr-2">
        <span class="inline-block">${title}</span>
        <span class="code-label">Error code ${status}</span>
      </h1>
    </header>
    <div class="cf-error-footer">
      <span>Cloudflare Ray ID: <strong class="font-semibold">8e1f2a3b4c5d6e7f</strong></span>
      <span>Performance &amp; security by <a rel="noopener noreferrer" href="https://www.cloudflare.com/5xx-error-landing" target="_blank">Cloudflare</a></span>
    </div>
  </div>
</div>
</body>
</html>
`;
}

/** The relay's web console (what a wrong base URL gets back with `200 text/html`). */
export const webConsolePage = `<!doctype html>
<html lang="zh">
<head><meta charset="utf-8" /><title>AnyAPI</title><script type="module" src="/assets/index-4f9a2c.js"></script></head>
<body><div id="root"></div></body>
</html>
`;

/** The code block of the `[[fake:code]]` answer, without fences. */
export const fakeCodeSnippet = `export function add(a: number, b: number): number {
  return a + b;
}`;

export function codeAnswer(firstLine: string): string {
  return `**Echo:** ${firstLine}\n\nHere is the code:\n\n\`\`\`ts\n${fakeCodeSnippet}\n\`\`\`\n\nCall \`add(1, 2)\` to get \`3\`.`;
}

/** The `[[fake:hostile]]` answer: markdown that tries to run script in the chat view. */
export const hostileAnswer = [
  '**Hostile content test**',
  '',
  '<script>window.__anyapiPwned = true; alert("xss")</script>',
  '',
  '<img src="x" onerror="window.__anyapiPwned = true">',
  '',
  '[click me](javascript:window.__anyapiPwned=true)',
  '',
  '![tracker](https://evil.example.com/pixel.png)',
  '',
  '<iframe src="https://evil.example.com"></iframe>',
  '',
  '<a href="https://evil.example.com" onclick="window.__anyapiPwned = true">raw html link</a>',
  '',
  '<style>body { display: none }</style>',
  '',
  'End of hostile content.',
].join('\n');

/** `[[fake:long:N]]`: about `bytes` bytes of varied markdown (headings, lists, code blocks, CJK), stable. */
export function longAnswer(bytes: number): string {
  const blocks = [
    (i: number) => `## Section ${i}\n\nThis paragraph explains step ${i} with **bold**, _italic_ and \`inline code\`.\n\n`,
    (i: number) => `- item ${i}.a\n- item ${i}.b with [a link](https://example.com/${i})\n- 中文条目 ${i}\n\n`,
    (i: number) => `\`\`\`ts\nconst value${i} = compute(${i});\nconsole.log(value${i});\n\`\`\`\n\n`,
    (i: number) => `> A quote number ${i}, with a table next.\n\n| n | square |\n|---|---|\n| ${i} | ${i * i} |\n\n`,
    (i: number) => `\`\`\`python\ndef f${i}(x):\n    return x * ${i}\n\`\`\`\n\n`,
  ];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const block = blocks[i % blocks.length](i);
    parts.push(block);
    size += Buffer.byteLength(block);
  }
  return parts.join('');
}

export const fakeMarkerPattern = /\[\[fake:[^\]]*\]\]/g;

/** The first non-empty line of the question, markers removed. */
export function firstLineOf(question: string): string {
  const line = question
    .replace(fakeMarkerPattern, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  return line === undefined ? '(empty)' : line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The default answer: `**Echo:** <first line>\n\nThis is the fake AnyAPI answer (model \`<model>\`).` */
export function echoAnswer(question: string, model: string): string {
  return `**Echo:** ${firstLineOf(question)}\n\nThis is the fake AnyAPI answer (model \`${model}\`).`;
}
