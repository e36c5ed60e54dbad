import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getL10nJson } from '@vscode/l10n-dev';

const root = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return sourceFiles(full);
    }
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
}

function messageText(value: unknown): string {
  return typeof value === 'string' ? value : (value as { message: string }).message;
}

describe('Simplified Chinese covers every user-facing string', () => {
  it('has a translation for every vscode.l10n.t string in src/', async () => {
    const files = sourceFiles(path.join(root, 'src')).map((file) => ({
      extension: '.ts',
      contents: fs.readFileSync(file, 'utf8'),
    }));
    const english = await getL10nJson(files);
    const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
    const missing = Object.keys(english).filter((key) => !(typeof chinese[key] === 'string' && messageText(chinese[key]).trim()));
    assert.deepStrictEqual(missing, [], `l10n/bundle.l10n.zh-cn.json lacks ${missing.length} strings`);
    assert.ok(Object.keys(english).length > 20, 'the extractor found the strings');
  });

  it('keeps the placeholders of every translated string', async () => {
    const chinese = readJson('l10n/bundle.l10n.zh-cn.json');
    const wrong = Object.entries(chinese).filter(([key, value]) => {
      const placeholders = (text: string): string => (text.match(/\{\d+\}/g) ?? []).sort().join(',');
      return placeholders(key.split('/')[0]) !== placeholders(messageText(value));
    });
    assert.deepStrictEqual(wrong.map(([key]) => key), []);
  });

  it('translates every package.nls.json entry, and every %key% in package.json exists', () => {
    const english = readJson('package.nls.json');
    const chinese = readJson('package.nls.zh-cn.json');
    const missing = Object.keys(english).filter((key) => !(typeof chinese[key] === 'string' && (chinese[key] as string).trim()));
    assert.deepStrictEqual(missing, []);
    const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const referenced = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((match) => match[1]);
    const undefinedKeys = referenced.filter((key) => !(key in english));
    assert.deepStrictEqual(undefinedKeys, []);
  });
});
