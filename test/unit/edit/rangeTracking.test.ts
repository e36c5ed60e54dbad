import * as assert from 'assert';
import { shiftSpan, shiftSpanThrough } from '../../../src/edit/rangeTracking';

describe('range tracking (where an edit lands after the document changed)', () => {
  const span = { start: 10, end: 20 };

  it('moves the span when text is inserted or deleted before it', () => {
    assert.deepStrictEqual(shiftSpan(span, { rangeOffset: 0, rangeLength: 0, text: 'abc' }), { start: 13, end: 23 });
    assert.deepStrictEqual(shiftSpan(span, { rangeOffset: 2, rangeLength: 5, text: '' }), { start: 5, end: 15 });
    assert.deepStrictEqual(shiftSpan(span, { rangeOffset: 5, rangeLength: 5, text: 'x' }), { start: 6, end: 16 });
  });

  it('keeps the span when text changes after it', () => {
    assert.deepStrictEqual(shiftSpan(span, { rangeOffset: 20, rangeLength: 3, text: 'zzzz' }), span);
    assert.deepStrictEqual(shiftSpan(span, { rangeOffset: 40, rangeLength: 0, text: 'a' }), span);
  });

  it('gives up when an edit touches the code itself', () => {
    assert.strictEqual(shiftSpan(span, { rangeOffset: 15, rangeLength: 0, text: 'x' }), undefined);
    assert.strictEqual(shiftSpan(span, { rangeOffset: 5, rangeLength: 6, text: '' }), undefined);
    assert.strictEqual(shiftSpan(span, { rangeOffset: 19, rangeLength: 2, text: '' }), undefined);
  });

  it('follows several changes of one event, whatever order they are reported in', () => {
    const changes = [
      { rangeOffset: 0, rangeLength: 0, text: '// a\n' },
      { rangeOffset: 30, rangeLength: 0, text: '// b\n' },
    ];
    assert.deepStrictEqual(shiftSpanThrough(span, changes), { start: 15, end: 25 });
    assert.deepStrictEqual(shiftSpanThrough(span, [...changes].reverse()), { start: 15, end: 25 });
    assert.strictEqual(shiftSpanThrough(undefined, changes), undefined);
  });

  it('keeps an empty span (a cursor) in place for an insertion exactly there', () => {
    assert.deepStrictEqual(shiftSpan({ start: 5, end: 5 }, { rangeOffset: 5, rangeLength: 0, text: 'abc' }), { start: 5, end: 5 });
  });
});
