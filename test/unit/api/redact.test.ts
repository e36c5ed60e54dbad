import * as assert from 'assert';
import { redactSecrets } from '../../../src/api/redact';

describe('redactSecrets (every log line goes through it)', () => {
  const key = 'sk-live-0123456789abcdefWXYZ';

  it('masks a known key wherever it appears, keeping only its last four characters', () => {
    const line = redactSecrets(`sent ${key} and ${encodeURIComponent(key)} again ${key}`, [key]);
    assert.ok(!line.includes(key), line);
    assert.ok(!line.includes('0123456789'), line);
    assert.match(line, /sk-…WXYZ/);
  });

  it('hides bearer tokens and anything shaped like a key it was never told about', () => {
    const line = redactSecrets('Authorization: Bearer abc.def.ghi; stray sk-abcdefghijklmnop in a setting');
    assert.ok(!line.includes('abc.def.ghi'), line);
    assert.ok(!line.includes('sk-abcdefghijklmnop'), line);
  });

  it('leaves ordinary text alone', () => {
    assert.strictEqual(redactSecrets('POST /v1/responses model=gpt-5.1 status=200', [key]), 'POST /v1/responses model=gpt-5.1 status=200');
  });
});
