import * as assert from 'assert';
import type { Conversation, Turn } from '../../../src/chat/conversation';
import {
  appendTurn,
  buildInput,
  canRetry,
  conversationToMarkdown,
  createConversation,
  createTurn,
  dropOldestTurns,
  earlierTurnsSent,
  endAttempt,
  exportFileName,
  resetLastTurn,
  showVersion,
  startNewVersion,
  titleFromQuestion,
  toTurnView,
  userContent,
} from '../../../src/chat/conversation';
import { MAX_ANSWER_VERSIONS, answerVersionsOf } from '../../../src/shared/protocol';
import { buildRequest } from '../../../src/requests/buildRequest';
import { parseTurn } from '../../../src/chat/conversationFormat';
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

  it('Retry With Fewer Turns starts from what the context budget already left out, so the next request is smaller', () => {
    const conversation = conversationWith(
      { question: 'one', answer: 'a1' },
      { question: 'two', answer: 'a2' },
      { question: 'three', answer: 'a3' },
      { question: 'four', answer: 'a4' },
      { question: 'five', answer: '', state: 'error' },
    );
    conversation.turns[4].omittedTurns = 2;
    assert.equal(earlierTurnsSent(conversation), 2);
    assert.equal(dropOldestTurns(conversation), 1);
    assert.equal(conversation.contextStart, 3);
  });

  it('an interrupted last answer can be retried; an interrupted earlier one is history like a stopped one', () => {
    const conversation = conversationWith({ question: 'first', answer: 'part', state: 'done' }, { question: 'second', answer: 'half', state: 'done' });
    conversation.turns[0].state = 'interrupted';
    conversation.turns[1].state = 'interrupted';
    assert.equal(canRetry(conversation, 't1'), true);
    assert.equal(canRetry(conversation, 't0'), false);
    assert.deepStrictEqual(buildInput(conversation).map((m) => m.content), ['first', 'part', 'second']);
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
    const turn = startNewVersion(conversation);
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

  it('sends attached context before the question, each item named, fenced, and noted when it was cut', () => {
    const context = [
      { id: 'a', kind: 'file' as const, label: 'src/app.ts', chars: 12, text: 'const a = 1;', languageId: 'typescript' },
      { id: 'b', kind: 'changes' as const, label: 'Working-tree changes: repo', chars: 5, cutFrom: 90, text: '+line', languageId: 'diff' },
    ];
    const conversation = createConversation('c', 0);
    appendTurn(conversation, createTurn('t', 'Why?', 1, undefined, 'COMMAND PROMPT', context));
    const [message] = buildInput(conversation);
    assert.strictEqual(
      message.content,
      'Context attached to the question:\n\n`src/app.ts`:\n\n```typescript\nconst a = 1;\n```\n\n' +
        '`Working-tree changes: repo` (cut to 5 of its 90 characters):\n\n```diff\n+line\n```\n\nCOMMAND PROMPT',
    );
    assert.strictEqual(userContent({ question: 'q' }), 'q', 'nothing is added without context');
    assert.deepStrictEqual(toTurnView(conversation.turns[0]).context, context, 'the view gets it, to show it collapsed');
  });

  it('keeps attached context when a turn is stored and read back, dropping an item it cannot read', () => {
    const item = { id: 'a', kind: 'terminal' as const, label: 'Terminal: npm test', chars: 3, cutFrom: 9, text: 'err', languageId: 'shell' };
    const stored = JSON.parse(JSON.stringify({ ...createTurn('t', 'q', 1, undefined, undefined, [item]), context: [item, { id: 'x', kind: 'nonsense', text: 1 }] }));
    assert.deepStrictEqual(parseTurn(stored)?.context, [item]);
    assert.strictEqual(parseTurn({ ...stored, context: 'not a list' })?.context, undefined);
  });

  it('exports attached context collapsed above the question', () => {
    const conversation = createConversation('c', 0);
    const turn = createTurn('t', 'Why <this>?', 1, undefined, undefined, [{ id: 'a', kind: 'problems', label: 'Problems: <a>.ts (1)', chars: 4, text: 'oops' }]);
    turn.answer = 'Because.';
    turn.state = 'done';
    appendTurn(conversation, turn);
    const markdown = conversationToMarkdown(conversation, { ...LABELS, context: 'Attached context' });
    assert.ok(
      markdown.includes('## You\n\n<details>\n<summary>Attached context: Problems: &lt;a&gt;.ts (1)</summary>\n\n`Problems: <a>.ts (1)`:\n\n```\noops\n```\n\n</details>\n\nWhy <this>?'),
      markdown,
    );
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

/** What the turn runner does when an answer ends: its ending, then the end of a Regenerate or Retry. */
function finish(turn: Turn, ending: Partial<Turn>): void {
  Object.assign(turn, ending);
  endAttempt(turn);
}

const USAGE = { inputTokens: 10, outputTokens: 20, totalTokens: 30 };
const BAD_GATEWAY = { message: 'AnyAPI could not be reached (HTTP 502).', actions: ['retry' as const, 'showLog' as const] };

/** A conversation whose last turn has the good answer `A` from model-a, with its usage. */
function answered(): { conversation: Conversation; turn: Turn } {
  const conversation = conversationWith({ question: 'earlier', answer: 'E' }, { question: 'q', answer: 'A' });
  const turn = conversation.turns[1];
  turn.model = 'model-a';
  turn.usage = USAGE;
  return { conversation, turn };
}

describe('answer versions (Regenerate keeps the earlier answers)', () => {
  it('keeps the answer shown while a Regenerate runs, and both once it succeeds, the new one shown', () => {
    const { conversation, turn } = answered();
    assert.strictEqual(startNewVersion(conversation), turn);
    assert.strictEqual(turn.state, 'streaming');
    assert.strictEqual(turn.answer, '');
    assert.deepStrictEqual(turn.versions, [{ answer: 'A', state: 'done', model: 'model-a', usage: USAGE }]);
    assert.strictEqual(turn.replacing, 0, 'the view shows A until text arrives');
    assert.deepStrictEqual(buildInput(conversation).map((m) => m.content), ['earlier', 'E', 'q'], 'the old answer is not sent for its own question');
    finish(turn, { answer: 'B', state: 'done', model: 'model-b' });
    assert.deepStrictEqual(answerVersionsOf(toTurnView(turn)).map((v) => `${v.answer}:${v.model}`), ['A:model-a', 'B:model-b']);
    assert.strictEqual(turn.versionIndex, 1);
    assert.strictEqual(turn.answer, 'B');
    assert.strictEqual(turn.replacing, undefined);
  });

  it('a failed Regenerate shows the answer from before again, with its model and usage, and says why', () => {
    const { conversation, turn } = answered();
    startNewVersion(conversation);
    finish(turn, { state: 'error', error: BAD_GATEWAY, model: 'model-b' });
    assert.strictEqual(turn.answer, 'A');
    assert.strictEqual(turn.state, 'done');
    assert.strictEqual(turn.model, 'model-a');
    assert.deepStrictEqual(turn.usage, USAGE);
    assert.strictEqual(turn.error, undefined);
    assert.deepStrictEqual(turn.attemptError, BAD_GATEWAY);
    assert.strictEqual(turn.versions, undefined, 'an attempt without any text is not kept as a version');
    assert.strictEqual(canRetry(conversation, turn.id), true, 'the failure offers Retry');

    // Retry behaves the same: A stays until the new answer has text, and comes back if it fails again.
    startNewVersion(conversation);
    assert.strictEqual(turn.attemptError, undefined);
    assert.strictEqual(turn.replacing, 0);
    finish(turn, { state: 'error', error: BAD_GATEWAY });
    assert.strictEqual(turn.answer, 'A');
    startNewVersion(conversation);
    finish(turn, { answer: 'B', state: 'done', model: 'model-b' });
    assert.deepStrictEqual(answerVersionsOf(turn).map((v) => v.answer), ['A', 'B']);
    assert.strictEqual(turn.attemptError, undefined);
  });

  it('keeps the text of an attempt that failed midway as a version, the answer from before still shown', () => {
    const { conversation, turn } = answered();
    startNewVersion(conversation);
    finish(turn, { answer: 'half of B', state: 'error', error: BAD_GATEWAY });
    assert.strictEqual(turn.answer, 'A');
    assert.strictEqual(turn.versionIndex, 0);
    assert.deepStrictEqual(turn.versions, [{ answer: 'half of B', state: 'error', error: BAD_GATEWAY }]);
  });

  it('Stop before any text leaves the answer from before as it was; Stop after some keeps the new text shown', () => {
    const { conversation, turn } = answered();
    startNewVersion(conversation);
    finish(turn, { state: 'stopped', model: 'model-b' });
    assert.deepStrictEqual(answerVersionsOf(turn), [{ answer: 'A', state: 'done', model: 'model-a', usage: USAGE }]);
    assert.strictEqual(turn.attemptError, undefined, 'a stop is not a failure');
    startNewVersion(conversation);
    finish(turn, { answer: 'part of B', state: 'stopped' });
    assert.strictEqual(turn.answer, 'part of B');
    assert.deepStrictEqual(answerVersionsOf(turn).map((v) => v.answer), ['A', 'part of B']);
  });

  it('the answer shown is the one later questions send as history, and the one exported', () => {
    const { conversation, turn } = answered();
    startNewVersion(conversation);
    finish(turn, { answer: 'B', state: 'done', model: 'model-b' });
    assert.strictEqual(showVersion(turn, 0), true);
    assert.strictEqual(turn.answer, 'A');
    assert.strictEqual(turn.model, 'model-a');
    assert.deepStrictEqual(turn.usage, USAGE);
    appendTurn(conversation, createTurn('t2', 'follow-up', 30));
    assert.deepStrictEqual(buildInput(conversation).map((m) => m.content), ['earlier', 'E', 'q', 'A', 'follow-up']);
    const markdown = conversationToMarkdown(conversation, LABELS);
    assert.ok(markdown.includes('## AnyAPI (model model-a)\n\nA\n'), markdown);
    assert.ok(!markdown.includes('model-b'), markdown);

    assert.strictEqual(showVersion(turn, 1), true);
    assert.deepStrictEqual(buildInput(conversation).map((m) => m.content), ['earlier', 'E', 'q', 'B', 'follow-up']);
    assert.strictEqual(showVersion(turn, 2), false, 'there is no third answer');
    assert.strictEqual(turn.answer, 'B');
  });

  it(`keeps at most ${MAX_ANSWER_VERSIONS} answers, dropping the oldest ones not shown`, () => {
    const { conversation, turn } = answered();
    for (let i = 1; i <= MAX_ANSWER_VERSIONS + 3; i++) {
      startNewVersion(conversation);
      finish(turn, { answer: `B${i}`, state: 'done' });
      if (i === 1) showVersion(turn, 0);
    }
    const answers = answerVersionsOf(turn).map((v) => v.answer);
    assert.strictEqual(answers.length, MAX_ANSWER_VERSIONS);
    assert.deepStrictEqual(answers.slice(-2), [`B${MAX_ANSWER_VERSIONS + 2}`, `B${MAX_ANSWER_VERSIONS + 3}`]);
    assert.ok(!answers.includes('A') && !answers.includes('B1'), answers.join());

    // The answer shown before a Regenerate is never the one dropped, even when it is the oldest.
    showVersion(turn, 0);
    const oldest = turn.answer;
    startNewVersion(conversation);
    assert.strictEqual(turn.versions?.[turn.replacing ?? -1]?.answer, oldest);
    finish(turn, { state: 'error', error: BAD_GATEWAY });
    assert.strictEqual(turn.answer, oldest);
    assert.strictEqual(answerVersionsOf(turn).length, MAX_ANSWER_VERSIONS - 1);
  });

  it('edit and resend starts afresh: the answers belonged to the old question', () => {
    const { conversation, turn } = answered();
    startNewVersion(conversation);
    finish(turn, { answer: 'B', state: 'done' });
    resetLastTurn(conversation, 'another question');
    assert.strictEqual(turn.versions, undefined);
    assert.strictEqual(turn.versionIndex, undefined);
    finish(turn, { state: 'error', error: BAD_GATEWAY });
    assert.strictEqual(turn.state, 'error', 'nothing of the old question comes back');
    assert.strictEqual(turn.answer, '');
  });

  it('a Retry of a turn that failed without any text does not keep the failure as a version', () => {
    const conversation = conversationWith({ question: 'q', answer: '', state: 'error' });
    const turn = conversation.turns[0];
    turn.error = BAD_GATEWAY;
    startNewVersion(conversation);
    assert.strictEqual(turn.versions, undefined);
    assert.strictEqual(turn.replacing, undefined);
    finish(turn, { state: 'error', error: BAD_GATEWAY });
    assert.strictEqual(turn.state, 'error', 'with nothing to go back to, the failure is the answer, as before');
    assert.strictEqual(turn.attemptError, undefined);
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
