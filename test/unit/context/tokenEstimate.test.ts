import * as assert from 'node:assert/strict';
import { MESSAGE_OVERHEAD_TOKENS, UNCALIBRATED, calibrate, calibratedTokens, estimateMessages, estimateTokens } from '../../../src/context/tokenEstimate';

// Counted with o200k_base (the tokenizer of gpt-4o, gpt-4.1, o-series and gpt-5): the estimate stays near, and on the
// safe side for Chinese, where other models' tokenizers read more tokens per character.
const ENGLISH =
  'The conversation model keeps plain data, so it is unit-tested and persisted as it is. A turn is one question and its answer; ' +
  "the answer's text is kept whatever happened to it. When the history grows beyond the model's window, the oldest turns are " +
  'left out first, and the chat says how many were not sent. This keeps long conversations useful without the model refusing them.';
const ENGLISH_O200K = 77;
const CHINESE =
  '对话模型只保存纯数据，因此可以在单元测试中直接使用，并原样持久化。一轮对话就是一个问题及其回答；无论回答发生了什么（被停止或失败），' +
  '其文本都会被保留。当历史超出模型的上下文窗口时，最早的轮次会先被省略，聊天界面会显示有多少轮没有发送。';
const CHINESE_O200K = 84;

describe('token estimate', () => {
  it('reads English at about four characters a token', () => {
    assert.equal(estimateTokens('abcd'.repeat(25)), 25);
    const estimate = estimateTokens(ENGLISH);
    assert.equal(estimate, Math.ceil(ENGLISH.length / 4));
    assert.ok(Math.abs(estimate - ENGLISH_O200K) / ENGLISH_O200K < 0.3, `${estimate} vs ${ENGLISH_O200K}`);
  });

  it('reads Chinese at about one token a character, four times what the same number of ASCII characters count', () => {
    const characters = [...CHINESE].length;
    assert.equal(estimateTokens(CHINESE), characters);
    assert.ok(estimateTokens(CHINESE) >= CHINESE_O200K, 'Chinese is not underestimated');
    assert.ok(estimateTokens(CHINESE) < CHINESE_O200K * 1.5);
    assert.equal(estimateTokens('上下文窗口'), 5);
    assert.equal(estimateTokens('abcde'), 2);
    // Japanese kana, Korean, full-width punctuation count like Chinese.
    assert.equal(estimateTokens('ひらがなカタカナ한국어，。'), 13);
  });

  it('adds up mixed text, counts emoji and other scripts, and nothing as nothing', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('解释 this code'), 2 + Math.ceil(10 / 4));
    assert.equal(estimateTokens('🚀'), 2);
    assert.equal(estimateTokens('Привет'), 2);
  });

  it('counts each message with its framing', () => {
    assert.equal(estimateMessages([]), 0);
    assert.equal(estimateMessages([{ content: 'abcd' }, { content: '你好' }]), 2 * MESSAGE_OVERHEAD_TOKENS + 1 + 2);
  });

  describe('calibration against what the server reported', () => {
    it('scales the estimate by the reported count, so the text sent before counts exactly', () => {
      const calibration = calibrate(1200, 1000);
      assert.deepEqual(calibration, { ratio: 1.2, overhead: 0 });
      assert.equal(calibratedTokens(1000, calibration), 1200);
      assert.equal(calibratedTokens(1500, calibration), 1800);
    });

    it('learns that a tokenizer reads Chinese in fewer tokens than estimated', () => {
      const estimate = estimateTokens(CHINESE);
      const calibration = calibrate(CHINESE_O200K, estimate);
      assert.ok(calibration.ratio < 1);
      assert.equal(calibratedTokens(estimate, calibration), CHINESE_O200K);
    });

    it('keeps what the ratio cannot explain (a relay’s own system prompt) as overhead, still exact for what was sent', () => {
      const calibration = calibrate(5000, 1000);
      assert.deepEqual(calibration, { ratio: 2, overhead: 3000 });
      assert.equal(calibratedTokens(1000, calibration), 5000);
      assert.equal(calibratedTokens(2000, calibration), 7000, 'new text is not counted five times over');
    });

    it('stays on the safe side when a server counts far less than estimated, and without a report', () => {
      assert.deepEqual(calibrate(100, 1000), { ratio: 0.5, overhead: 0 });
      assert.deepEqual(calibrate(0, 1000), UNCALIBRATED);
      assert.deepEqual(calibrate(100, 0), UNCALIBRATED);
      assert.equal(calibratedTokens(321, UNCALIBRATED), 321);
    });
  });
});
