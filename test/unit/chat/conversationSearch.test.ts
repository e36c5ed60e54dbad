import * as assert from 'assert';
import { appendTurn, createConversation, createTurn } from '../../../src/chat/conversation';
import { findInConversation } from '../../../src/chat/conversationSearch';

function conversationOf(...turns: [string, string][]): ReturnType<typeof createConversation> {
  const conversation = createConversation('c', 1);
  turns.forEach(([question, answer], index) => {
    const turn = createTurn(`t${index}`, question, index);
    turn.answer = answer;
    turn.state = 'done';
    appendTurn(conversation, turn);
  });
  return conversation;
}

describe('finding a conversation by its text', () => {
  it('finds a word in an answer, case-insensitively, with the text around it on one line', () => {
    const long = `${'lorem ipsum '.repeat(20)}The answer mentions Ulaanbaatar\nas the capital. ${'dolor sit '.repeat(20)}`;
    const found = findInConversation(conversationOf(['Which city?', long]), 'ulaanBAATAR');
    assert.ok(found?.includes('Ulaanbaatar as the capital'), found);
    assert.ok(found?.startsWith('…') && found.endsWith('…'), found);
    assert.ok((found?.length ?? 0) <= 92, `snippet of ${found?.length} characters`);
  });

  it('finds a question, CJK included, and nothing for text that is not there or a query under two characters', () => {
    const conversation = conversationOf(['如何解析日期?', 'Use Date.parse.'], ['second', 'answer']);
    assert.strictEqual(findInConversation(conversation, '解析日期'), '如何解析日期?');
    assert.strictEqual(findInConversation(conversation, 'nowhere'), undefined);
    assert.strictEqual(findInConversation(conversation, 'a'), undefined);
  });
});
