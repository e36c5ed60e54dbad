import * as assert from 'node:assert/strict';
import { DEFAULT_CONTEXT_WINDOW_TOKENS, contextLimits } from '../../../src/context/contextWindow';
import type { HistoryCosts } from '../../../src/context/fitHistory';
import { fitHistory } from '../../../src/context/fitHistory';
import { forgetReportedWindows, rememberReportedWindows, reportedWindow } from '../../../src/context/reportedWindows';

describe('context window', () => {
  it('is 128000 by default, less a reserve for the answer', () => {
    assert.deepEqual(contextLimits({}), { windowTokens: DEFAULT_CONTEXT_WINDOW_TOKENS, source: 'default', reservedTokens: 16_000, inputBudget: 112_000 });
    assert.equal(DEFAULT_CONTEXT_WINDOW_TOKENS, 128_000);
  });

  it('keeps anyapi.maxOutputTokens for the answer when it is set (at most half the window), and at most a quarter of a small window otherwise', () => {
    assert.equal(contextLimits({ maxOutputTokens: 4000 }).inputBudget, 124_000);
    assert.deepEqual(contextLimits({ chosenWindow: 2000 }), { windowTokens: 2000, source: 'setting', reservedTokens: 500, inputBudget: 1500 });
    // A limit set for a model with a larger window leaves this one half of its own.
    assert.deepEqual(contextLimits({ chosenWindow: 2000, maxOutputTokens: 5000 }), { windowTokens: 2000, source: 'setting', reservedTokens: 1000, inputBudget: 1000 });
    assert.equal(contextLimits({ maxOutputTokens: 128_000 }).inputBudget, 64_000);
  });

  it('takes the window the relay reports for the model, unless the user set one', () => {
    assert.deepEqual(contextLimits({ reported: { contextLength: 1_000_000 } }), {
      windowTokens: 1_000_000,
      source: 'relay',
      reservedTokens: 16_000,
      inputBudget: 984_000,
    });
    assert.equal(contextLimits({ chosenWindow: 32_000, reported: { contextLength: 1_000_000 } }).windowTokens, 32_000);
    assert.equal(contextLimits({ reported: { contextLength: 400_000, maxInputTokens: 272_000 } }).inputBudget, 272_000);
    assert.deepEqual(contextLimits({ reported: { maxInputTokens: 60_000 } }), { windowTokens: 76_000, source: 'relay', reservedTokens: 16_000, inputBudget: 60_000 });
  });

  it('remembers what the last model list of a server said, per model', () => {
    forgetReportedWindows();
    rememberReportedWindows('https://relay.example/v1/', [{ id: 'big', contextLength: 1_000_000 }, { id: 'plain' }, { id: 'capped', maxInputTokens: 8000 }]);
    assert.deepEqual(reportedWindow('https://relay.example', 'big'), { contextLength: 1_000_000, maxInputTokens: undefined });
    assert.deepEqual(reportedWindow('https://RELAY.example/', 'capped'), { contextLength: undefined, maxInputTokens: 8000 });
    assert.equal(reportedWindow('https://relay.example', 'plain'), undefined);
    assert.equal(reportedWindow('https://other.example', 'big'), undefined);
    rememberReportedWindows('https://relay.example', [{ id: 'plain' }]);
    assert.equal(reportedWindow('https://relay.example', 'big'), undefined, 'a new list replaces the old one');
    forgetReportedWindows();
  });
});

function costs(fixed: number, earlier: number[]): HistoryCosts {
  return { fixed, earlierCount: earlier.length, costOf: (index) => earlier[index] };
}

describe('fitting the history to the budget', () => {
  it('sends everything that fits', () => {
    assert.deepEqual(fitHistory(costs(10, [20, 30]), 60), { kind: 'fits', leftOut: 0, tokens: 60 });
  });

  it('leaves out the oldest turns first, as few as needed', () => {
    assert.deepEqual(fitHistory(costs(10, [20, 30, 5]), 50), { kind: 'fits', leftOut: 1, tokens: 45 });
    assert.deepEqual(fitHistory(costs(10, [20, 30, 5]), 44), { kind: 'fits', leftOut: 2, tokens: 15 });
    assert.deepEqual(fitHistory(costs(10, [0, 20, 30]), 45), { kind: 'fits', leftOut: 2, tokens: 40 });
  });

  it('never leaves out the current question: alone it may take the whole budget', () => {
    assert.deepEqual(fitHistory(costs(50, [20, 30]), 50), { kind: 'fits', leftOut: 2, tokens: 50 });
  });

  it('measures a long history only as far back as the budget reaches', () => {
    const asked: number[] = [];
    const fit = fitHistory({ fixed: 10, earlierCount: 10_000, costOf: (index) => (asked.push(index), 10) }, 45);
    assert.deepEqual(fit, { kind: 'fits', leftOut: 9997, tokens: 40 });
    assert.deepEqual(asked, [9999, 9998, 9997, 9996]);
  });

  it('refuses a question that alone does not fit, with its size and the limit', () => {
    assert.deepEqual(fitHistory(costs(51, []), 50), { kind: 'tooLarge', tokens: 51, budget: 50 });
    assert.deepEqual(fitHistory(costs(51, [1, 2]), 50), { kind: 'tooLarge', tokens: 51, budget: 50 });
  });
});
