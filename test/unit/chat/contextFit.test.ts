import * as assert from 'node:assert/strict';
import { calibrationOf, fitConversation } from '../../../src/chat/contextFit';
import type { Conversation } from '../../../src/chat/conversation';
import { appendTurn, buildInput, createConversation, createTurn, userContent } from '../../../src/chat/conversation';
import { estimateMessages } from '../../../src/context/tokenEstimate';
import type { QuoteView } from '../../../src/shared/protocol';

/** 400 ASCII characters: 100 tokens, 104 as a message. */
const ENGLISH_BLOCK = 'abcd'.repeat(100);
/** 400 Chinese characters: 400 tokens. */
const CHINESE_BLOCK = '上下文窗口'.repeat(80);

function conversationOf(turns: { question: string; answer: string; usage?: number; omittedTurns?: number }[], current = 'x'.repeat(40), quote?: QuoteView): Conversation {
  const conversation = createConversation('c', 1);
  turns.forEach((spec, index) => {
    const turn = createTurn(`t${index}`, spec.question, 10 + index);
    turn.answer = spec.answer;
    turn.state = spec.answer ? 'done' : 'error';
    if (spec.usage) turn.usage = { inputTokens: spec.usage, outputTokens: 1, totalTokens: spec.usage + 1 };
    if (spec.omittedTurns) turn.omittedTurns = spec.omittedTurns;
    appendTurn(conversation, turn);
  });
  appendTurn(conversation, createTurn('now', current, 100, quote));
  return conversation;
}

function numbered(count: number, block = ENGLISH_BLOCK): { question: string; answer: string }[] {
  return Array.from({ length: count }, (_, index) => ({ question: `q${index} ${block}`, answer: `a${index} ${block}` }));
}

const last = (conversation: Conversation): number => conversation.turns.length - 1;
const firstWords = (conversation: Conversation, budget: number, instructions?: string): string[] => {
  const fit = fitConversation(conversation, last(conversation), budget, instructions);
  assert.equal(fit.kind, 'fits');
  return fit.kind === 'fits' ? fit.input.map((message) => message.content.split(' ')[0]) : [];
};

describe('fitting a conversation to the context window', () => {
  it('sends the whole conversation when it fits', () => {
    const conversation = conversationOf(numbered(3));
    const fit = fitConversation(conversation, last(conversation), 100_000);
    assert.equal(fit.kind, 'fits');
    assert.ok(fit.kind === 'fits');
    assert.equal(fit.omitted, 0);
    assert.deepEqual(fit.input, buildInput(conversation));
    assert.equal(fit.tokens, estimateMessages(buildInput(conversation)));
  });

  it('leaves out the oldest turns first, as few as the budget needs', () => {
    // Each earlier turn is about 210 tokens, the question 14.
    const conversation = conversationOf(numbered(4));
    assert.deepEqual(firstWords(conversation, 500), ['q2', 'a2', 'q3', 'a3', 'x'.repeat(40)]);
    const fit = fitConversation(conversation, last(conversation), 500);
    assert.ok(fit.kind === 'fits' && fit.omitted === 2 && fit.tokens <= 500, JSON.stringify(fit));
    assert.deepEqual(firstWords(conversation, 700), ['q1', 'a1', 'q2', 'a2', 'q3', 'a3', 'x'.repeat(40)]);
  });

  it('never leaves out the current question or its quoted code: it may go alone', () => {
    const code = 'const answer = 42;\n'.repeat(20);
    const quote: QuoteView = { code, languageId: 'typescript', fileLabel: 'answer.ts', startLine: 1, endLine: 20 };
    const conversation = conversationOf(numbered(3), 'Why 42?', quote);
    const fit = fitConversation(conversation, last(conversation), estimateMessages([{ content: userContent(conversation.turns[3]) }]));
    assert.ok(fit.kind === 'fits', JSON.stringify(fit));
    assert.equal(fit.omitted, 3);
    assert.equal(fit.input.length, 1);
    assert.ok(fit.input[0].content.includes(code) && fit.input[0].content.includes('Why 42?'));
  });

  it('refuses a question that alone does not fit, with its size and the limit', () => {
    const conversation = conversationOf(numbered(2), ENGLISH_BLOCK.repeat(10));
    const fit = fitConversation(conversation, last(conversation), 900);
    assert.deepEqual(fit, { kind: 'tooLarge', tokens: 1004, budget: 900 });
  });

  it('counts the instructions with the question, since every request carries them', () => {
    const conversation = conversationOf([], 'short');
    assert.equal(fitConversation(conversation, 0, 50).kind, 'fits');
    const fit = fitConversation(conversation, 0, 50, ENGLISH_BLOCK);
    assert.ok(fit.kind === 'tooLarge' && fit.tokens === 106, JSON.stringify(fit));
  });

  it('leaves out at least the turns Retry With Fewer Turns left out, and more when the budget needs it', () => {
    const conversation = conversationOf(numbered(4));
    conversation.contextStart = 3;
    const roomy = fitConversation(conversation, last(conversation), 100_000);
    assert.ok(roomy.kind === 'fits' && roomy.omitted === 3);
    conversation.contextStart = 1;
    const tight = fitConversation(conversation, last(conversation), 500);
    assert.ok(tight.kind === 'fits' && tight.omitted === 2);
  });

  it('counts Chinese differently from English: the same characters take four times the room', () => {
    const english = conversationOf(numbered(4));
    const chinese = conversationOf(numbered(4, CHINESE_BLOCK));
    const english1500 = fitConversation(english, 4, 1500);
    const chinese1500 = fitConversation(chinese, 4, 1500);
    assert.ok(english1500.kind === 'fits' && english1500.omitted === 0);
    // Each Chinese turn is about 810 tokens: one fits beside the question.
    assert.ok(chinese1500.kind === 'fits' && chinese1500.omitted === 3, JSON.stringify({ ...chinese1500, input: undefined }));
  });

  it('skips turns without an answer: they are not sent and cost nothing', () => {
    const conversation = conversationOf([...numbered(1), { question: `failed ${ENGLISH_BLOCK}`, answer: '' }, ...numbered(1)]);
    assert.deepEqual(firstWords(conversation, 300), ['q0', 'a0', 'x'.repeat(40)]);
  });

  describe('calibrated by what the server counted', () => {
    it('takes the input tokens reported for the last request as exact, and estimates only the new text at the same rate', () => {
      const turns = numbered(2);
      const lastRequest = (conversation: Conversation): number => estimateMessages(buildInput(conversation, 1, 0));
      const probe = conversationOf(turns);
      const reported = lastRequest(probe) * 2;
      const conversation = conversationOf([turns[0], { ...turns[1], usage: reported }]);
      assert.deepEqual(calibrationOf(conversation, 2), { ratio: 2, overhead: 0 });
      const fit = fitConversation(conversation, 2, 100_000);
      assert.ok(fit.kind === 'fits');
      // What was sent before (turn 0, question 1) counts as reported; answer 1 and the new question twice their estimate.
      const added = estimateMessages([{ content: turns[1].answer }, { content: 'x'.repeat(40) }]);
      assert.ok(Math.abs(fit.tokens - (reported + 2 * added)) <= 2, `${fit.tokens} vs ${reported + 2 * added}`);
    });

    it('leaves out more when the server counts more than estimated', () => {
      const turns = numbered(4);
      const plain = conversationOf(turns);
      const counted = conversationOf([...turns.slice(0, 3), { ...turns[3], usage: 2 * estimateMessages(buildInput(plain, 3, 0)) }]);
      const budget = 900;
      const before = fitConversation(plain, 4, budget);
      const after = fitConversation(counted, 4, budget);
      assert.ok(before.kind === 'fits' && after.kind === 'fits');
      assert.ok(after.omitted > before.omitted, `${after.omitted} > ${before.omitted}`);
    });

    it('rebuilds the last request as it was sent, without the turns it left out', () => {
      const turns = numbered(3);
      const conversation = conversationOf([...turns.slice(0, 2), { ...turns[2], usage: 150, omittedTurns: 2 }]);
      const sent = estimateMessages(buildInput(conversation, 2, 2));
      assert.deepEqual(calibrationOf(conversation, 3), { ratio: 150 / sent, overhead: 0 });
    });

    it('counts Chinese at the rate the server reported for it', () => {
      const turns = numbered(2, CHINESE_BLOCK);
      const probe = conversationOf(turns);
      const estimate = estimateMessages(buildInput(probe, 1, 0));
      const conversation = conversationOf([turns[0], { ...turns[1], usage: Math.round(estimate * 0.7) }]);
      const calibration = calibrationOf(conversation, 2);
      assert.ok(Math.abs(calibration.ratio - 0.7) < 0.01, String(calibration.ratio));
    });

    it('is uncalibrated before any answer reported its usage', () => {
      assert.deepEqual(calibrationOf(conversationOf(numbered(2)), 2), { ratio: 1, overhead: 0 });
    });
  });
});

