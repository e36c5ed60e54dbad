import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');

function read(file: string): string {
  return fs.readFileSync(path.join(root, file), 'utf8');
}

const manifest = JSON.parse(read('package.json')) as {
  contributes: { configuration: { properties: Record<string, unknown> }; commands: { command: string; title: string }[] };
};
const settings = Object.keys(manifest.contributes.configuration.properties);

describe('the READMEs', () => {
  for (const file of ['README.md', 'README.zh-CN.md']) {
    it(`${file} has a settings table row for every anyapi.* setting`, () => {
      const rows = read(file)
        .split('\n')
        .filter((line) => line.startsWith('| `anyapi.'));
      const missing = settings.filter((name) => !rows.some((row) => row.startsWith(`| \`${name}\` |`)));
      assert.deepStrictEqual(missing, [], `${file} lacks settings`);
    });

    it(`${file} shows only pictures that exist, outside the packaged media folder`, () => {
      const pictures = [...read(file).matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
      assert.ok(pictures.length > 0, `${file} has no screenshots`);
      for (const picture of pictures) {
        assert.ok(picture.startsWith('docs/images/'), `${picture}: README pictures live in docs/images/, not in the .vsix`);
        assert.ok(fs.existsSync(path.join(root, picture)), `${picture} does not exist`);
      }
    });
  }

  it('README.md names every command of the palette in English', () => {
    const english = JSON.parse(read('package.nls.json')) as Record<string, string>;
    const readme = read('README.md');
    const titles = manifest.contributes.commands.map((command) => english[command.title.replace(/%/g, '')] ?? command.title);
    const missing = titles.filter((title) => !readme.includes(title));
    assert.deepStrictEqual(missing, []);
  });

  it('README.md links the Simplified Chinese README from its top', () => {
    assert.ok(read('README.md').split('\n').slice(0, 10).join('\n').includes('(README.zh-CN.md)'));
  });
});
