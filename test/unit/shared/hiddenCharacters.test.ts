import * as assert from 'assert';
import { countHiddenCharacters, withoutHiddenCharacters } from '../../../src/shared/hiddenCharacters';

describe('hidden characters in code (Trojan Source)', () => {
  it('counts bidirectional controls and invisible characters, and nothing in ordinary code', () => {
    // The CVE-2021-42574 example: a right-to-left override and isolates make a comment look like code ends.
    const trojan = 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {';
    assert.strictEqual(countHiddenCharacters(trojan), 4);
    assert.strictEqual(countHiddenCharacters('const a\u200B = 1; // zero width'), 1);
    assert.strictEqual(countHiddenCharacters('tag\uDB40\uDC41s'), 1);
    assert.strictEqual(countHiddenCharacters('const 名前 = "héllo"; // ✓ emoji 🚀 and CJK are fine'), 0);
  });

  it('removes exactly those characters', () => {
    assert.strictEqual(withoutHiddenCharacters('a\u202Eb\u200Bc\uFEFFd'), 'abcd');
    assert.strictEqual(withoutHiddenCharacters('plain'), 'plain');
  });
});
