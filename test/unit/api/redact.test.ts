import * as assert from 'assert';
import { hideKey, redactSecrets } from '../../../src/api/redact';

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

describe('hideKey (attached context and terminal text)', () => {
  it('masks the stored key wherever it is, and changes nothing else', () => {
    const key = 'sk-live-0123456789abcdef';
    assert.strictEqual(hideKey(`export KEY=${key}\ncurl -H "Authorization: Bearer ${key}"`, key), 'export KEY=sk-…cdef\ncurl -H "Authorization: Bearer sk-…cdef"');
    const code = 'headers: { Authorization: `Bearer ${token}` }, example: "sk-example-not-yours"';
    assert.strictEqual(hideKey(code, key), code, 'other tokens and key-shaped strings are the user’s own text');
    assert.strictEqual(hideKey('no key here', undefined), 'no key here');
  });
});
