import * as assert from 'assert';
import type { Conversation } from '../../../src/chat/conversation';
import {
  appendTurn,
  buildInput,
  canRetry,
  conversationToMarkdown,
  createConversation,
  createTurn,
  dropOldestTurns,
  earlierTurnsSent,
  exportFileName,
  resetLastTurn,
  titleFromQuestion,
  userContent,
} from '../../../src/chat/conversation';
import { buildRequest } from '../../../src/requests/buildRequest';
import type { ExtensionConfig } from '../../../src/config/config';

function conversationWith(...turns: { question: string; answer: string; state?: 'done' | 'error' | 'stopped' }[]): Conversation {
  const conversation = createConversation('c1', 1);
  turns.forEach((turn, index) => {
    const created = createTurn(`t${index}`, turn.question, 10 + index);
    created.answer = turn.answer;
    created.state = turn.state ?? 'done';
    appendTurn(conversation, created);
  });
  return conversation;
}

const LABELS = {
  untitled: 'Untitled',
  user: 'You',
  assistant: 'AnyAPI',
  stopped: 'Stopped',
  incomplete: 'Cut short',
  failed: 'Failed:',
  model: 'model',
};

describe('conversation model', () => {
  it('sends the whole conversation as input: earlier questions and answers, then the new question', () => {
    const conversation = conversationWith({ question: 'What is 1+1?', answer: '2' }, { question: 'And 2+2?', answer: '' });
    assert.deepStrictEqual(buildInput(conversation), [
      { role: 'user', content: 'What is 1+1?' },
      { role: 'assistant', content: '2' },
      { role: 'user', content: 'And 2+2?' },
    ]);
  });

  it('Retry With Fewer Turns leaves out the older half of the earlier turns, for this request and the later ones', () => {
    const conversation = conversationWith(
      { question: 'one', answer: 'a1' },
      { question: 'two', answer: 'a2' },
      { question: 'three', answer: 'a3' },
      { question: 'four', answer: '', state: 'error' },
    );
    assert.equal(earlierTurnsSent(conversation), 3);
    assert.equal(dropOldestTurns(conversation), 2);
    assert.deepStrictEqual(buildInput(conversation).map((m) => m.content), ['three', 'a3', 'four']);
    assert.equal(dropOldestTurns(conversation), 1);
    assert.deepStrictEqual(buildInput(conversation).map((m) => m.content), ['four']);
    assert.equal(dropOldestTurns(conversation), 0, 'nothing is left to leave out');
    conversation.turns[3].answer = 'a4';
    conversation.turns[3].state = 'done';
    appendTurn(conversation, createTurn('t4', 'five', 20));
    assert.deepStrictEqual(buildInput(conversation).map((m) => m.content), ['four', 'a4', 'five'], 'a later question still leaves them out');
  });

  it('leaves out earlier questions that got no answer at all, but keeps stopped partial answers', () => {
    const conversation = conversationWith(
      { question: 'failed', answer: '', state: 'error' },
      { question: 'stopped', answer: 'partial', state: 'stopped' },
      { question: 'now', answer: '' },
    );
    assert.deepStrictEqual(
      buildInput(conversation).map((message) => message.content),
      ['stopped', 'partial', 'now'],
    );
  });

  it('regenerating the last turn resends the same input without the old answer', () => {
    const conversation = conversationWith({ question: 'a', answer: 'A' }, { question: 'b', answer: 'B' });
    const turn = resetLastTurn(conversation);
    assert.ok(turn);
    assert.strictEqual(turn.answer, '');
    assert.strictEqual(turn.state, 'streaming');
    assert.deepStrictEqual(buildInput(conversation).at(-1), { role: 'user', content: 'b' });
    assert.strictEqual(buildInput(conversation).length, 3);
  });

  it('edit and resend replaces the last question and renames a one-question conversation', () => {
    const conversation = conversationWith({ question: 'first wording', answer: 'x' });
    resetLastTurn(conversation, 'better wording');
    assert.strictEqual(conversation.turns.length, 1);
    assert.strictEqual(conversation.turns[0].question, 'better wording');
    assert.strictEqual(conversation.title, 'better wording');
  });

  it('puts quoted code before the question, in a fence the code cannot close', () => {
    const quote = { code: 'const s = "```";\n', languageId: 'typescript', fileLabel: 'src/a.ts', startLine: 3, endLine: 4 };
    const content = userContent({ question: 'Explain this.', quote });
    assert.ok(content.startsWith('`src/a.ts` (typescript, lines 3-4):\n\n````typescript\nconst s = "```";\n````'));
    assert.ok(content.endsWith('\n\nExplain this.'));
    const plain = userContent({ question: 'q', quote: { ...quote, code: 'no backticks' } });
    assert.ok(plain.includes('```typescript\nno backticks\n```\n\nq'), plain);
  });

  it('sends a command’s own prompt instead of the displayed question, and drops it on edit', () => {
    const quote = { code: 'x()', languageId: 'js', fileLabel: 'a.js', startLine: 1, endLine: 1 };
    const conversation = createConversation('c', 0);
    appendTurn(conversation, createTurn('t', 'Explain this code.', 1, quote, 'PROMPT with code and language'));
    assert.deepStrictEqual(buildInput(conversation), [{ role: 'user', content: 'PROMPT with code and language' }]);
    resetLastTurn(conversation, 'What does x do?');
    assert.ok(buildInput(conversation)[0].content.endsWith('```\n\nWhat does x do?'));
  });

  it('names a conversation after the first line of its first question', () => {
    assert.strictEqual(titleFromQuestion('\n  How do I sort?\nmore'), 'How do I sort?');
    assert.strictEqual(titleFromQuestion('x'.repeat(100)).length, 60);
    assert.strictEqual(
      titleFromQuestion('', { code: 'a', languageId: 'ts', fileLabel: 'a.ts', startLine: 1, endLine: 2 }),
      'a.ts:1-2',
    );
  });

  it('exports to Markdown with questions, answers, models and how answers ended', () => {
    const conversation = conversationWith({ question: 'q1', answer: 'a1' }, { question: 'q2', answer: 'half', state: 'stopped' });
    conversation.turns[0].model = 'gpt-5.1';
    conversation.turns.push({
      ...createTurn('t3', 'q3', 20),
      state: 'error',
      error: { message: 'AnyAPI rejected the API key.', actions: ['setApiKey'] },
    });
    const markdown = conversationToMarkdown(conversation, LABELS);
    assert.strictEqual(
      markdown,
      '# q1\n\n## You\n\nq1\n\n## AnyAPI (model gpt-5.1)\n\na1\n\n## You\n\nq2\n\n## AnyAPI\n\nhalf\n\n_Stopped_\n\n' +
        '## You\n\nq3\n\n## AnyAPI\n\n> Failed: AnyAPI rejected the API key.\n',
    );
  });

  it('exports what the user saw (the quote and the question), not the prompt a command built for the model', () => {
    const conversation = createConversation('c', 1);
    const quote = { code: 'let total = 0;\n', languageId: 'typescript', fileLabel: 'src/sum.ts', startLine: 4, endLine: 4 };
    const turn = createTurn('t', 'Explain this code.', 1, quote, 'INTERNAL PROMPT: explain the typescript code in English');
    turn.answer = 'It starts a sum.';
    turn.state = 'done';
    appendTurn(conversation, turn);
    const markdown = conversationToMarkdown(conversation, LABELS);
    assert.ok(!markdown.includes('INTERNAL PROMPT'), markdown);
    assert.ok(markdown.includes('`src/sum.ts` (typescript, lines 4):\n\n```typescript\nlet total = 0;\n```\n\nExplain this code.'), markdown);
    assert.ok(markdown.includes('It starts a sum.'));
  });

  it('allows Retry only for the last turn, and only when it failed', () => {
    const conversation = conversationWith(
      { question: 'first', answer: '', state: 'error' },
      { question: 'second', answer: 'the newer answer' },
    );
    assert.strictEqual(canRetry(conversation, 't0'), false, 'an older failed turn would erase the newer answer');
    assert.strictEqual(canRetry(conversation, 't1'), false, 'the last answer did not fail');
    conversation.turns[1].state = 'error';
    assert.strictEqual(canRetry(conversation, 't1'), true);
    assert.strictEqual(canRetry(conversation, 'unknown'), false);
  });

  it('makes a safe export file name', () => {
    const conversation = conversationWith({ question: 'What is a/b: "c"?', answer: '' });
    assert.strictEqual(exportFileName(conversation, 'chat'), 'What is a b c.md');
    assert.strictEqual(exportFileName(createConversation('x', 0), 'chat'), 'chat.md');
  });
});

describe('request for a turn', () => {
  const config: ExtensionConfig = {
    model: 'o3-pro',
    baseUrl: 'https://www.anyapi.vip',
    instructions: 'Answer briefly.',
    maxOutputTokens: 2000,
    temperature: undefined,
    reasoningEffort: 'high',
    stream: true,
    endpoint: 'auto',
    requestTimeoutSeconds: 600,
    idleTimeoutSeconds: 120,
    proxy: { strictSSL: true, disabled: false },
    ignoredWorkspaceSettings: [],
  };

  it('takes the model, instructions, limits and reasoning effort from the settings', () => {
    const input = [{ role: 'user' as const, content: 'hi' }];
    assert.deepStrictEqual(buildRequest(config, input), {
      model: 'o3-pro',
      input,
      stream: true,
      instructions: 'Answer briefly.',
      max_output_tokens: 2000,
      reasoning: { effort: 'high' },
    });
  });

  it('sends no optional field that is not set (reasoning models reject temperature)', () => {
    const request = buildRequest(
      { ...config, instructions: undefined, maxOutputTokens: undefined, reasoningEffort: undefined, stream: false },
      [],
    );
    assert.deepStrictEqual(Object.keys(request).sort(), ['input', 'model', 'stream']);
    assert.strictEqual(buildRequest({ ...config, temperature: 0 }, []).temperature, 0);
  });
});
