import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');

interface Manifest {
  engines: { vscode: string };
  activationEvents?: string[];
  extensionKind?: string[];
  devDependencies: Record<string, string>;
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { scope?: string }> };
  };
  capabilities: { untrustedWorkspaces: { supported: string | boolean; restrictedConfigurations?: string[] } };
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

describe('the manifest and the .vsix', () => {
  it('never activates on everything, and supports VS Code 1.90 with matching types', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
    assert.strictEqual(manifest.engines.vscode, '^1.90.0');
    assert.strictEqual(manifest.devDependencies['@types/vscode'], '1.90.0');
    assert.deepStrictEqual(manifest.extensionKind, ['ui', 'workspace']);
  });

  it('keeps the base URL out of a workspace’s hands', () => {
    assert.strictEqual(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepStrictEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
      'anyapi.baseUrl',
      'anyapi.instructions',
      'anyapi.prompts.explain',
      'anyapi.prompts.ask',
      'anyapi.prompts.edit',
      'anyapi.prompts.write',
    ]);
    assert.strictEqual(manifest.contributes.configuration.properties['anyapi.baseUrl'].scope, 'application');
  });

  it('packages only what runs: dist bundles, media, l10n, manifests, README, CHANGELOG and LICENSE', function () {
    if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
      this.skip();
    }
    this.timeout(180_000);
    const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const allowed = [
      /^dist\/(extension|features|api|markdown-it|webview)\.(js|css)$/,
      /^dist\/[\w-]+\.ttf$/,
      /^media\//,
      /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
      /^package(\.nls(\.[\w-]+)?)?\.json$/,
      /^(README(\.zh-CN)?|CHANGELOG)\.md$/,
      /^LICENSE$/,
    ];
    const unexpected = listed.filter((file) => !allowed.some((pattern) => pattern.test(file)));
    assert.deepStrictEqual(unexpected, [], 'files in the .vsix that do not run');
    for (const required of ['dist/extension.js', 'dist/features.js', 'dist/api.js', 'dist/markdown-it.js', 'package.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', 'LICENSE']) {
      assert.ok(listed.includes(required), `${required} is missing from the .vsix`);
    }
    const bytes = listed.reduce((sum, file) => sum + fs.statSync(path.join(root, file)).size, 0);
    // The .vsix is a zip of these; unminified bundles compress to well under the 1 MB the package must stay below.
    assert.ok(bytes < 4 * 1024 * 1024, `the packaged files hold ${bytes} bytes`);
  });

  it('activates from a small bundle: the features are dist/features.js, which shares its modules instead of copying them', () => {
    const extension = fs.readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
    const features = fs.readFileSync(path.join(root, 'dist', 'features.js'), 'utf8');
    assert.ok(extension.includes('"features.js"'), 'dist/extension.js does not require features.js');
    // The startup bundle's table of its modules (by source path, so minified builds read the same).
    const startup = [...extension.matchAll(/"(src\/[\w/.-]+\.ts)":/g)].map((match) => match[1]);
    for (const file of ['src/config/keyStore.ts', 'src/util/logger.ts', 'src/attachments/terminal.ts', 'src/statusBar/modelStatusBar.ts']) {
      assert.ok(startup.includes(file), `dist/extension.js lacks ${file}`);
    }
    const heavy = startup.filter((file) => /^src\/(chat|commands|edit|webview|requests\/requestService|prompts)/.test(file));
    assert.deepStrictEqual(heavy, [], 'dist/extension.js loads the features at startup');
    // One key store, one settings module, one terminal recorder: dist/features.js takes them from dist/extension.js.
    for (const file of ['src/config/keyStore.ts', 'src/config/config.ts', 'src/attachments/terminal.ts']) {
      assert.ok(features.includes(`require("./extension.js").__shared["${file}"]`), `dist/features.js does not take ${file} from dist/extension.js`);
    }
    assert.ok(features.length > 4 * extension.length, `dist/features.js (${features.length} bytes) is not most of the code (dist/extension.js: ${extension.length})`);
  });

  it('leaves markdown-it to a bundle of its own, which the features require on first use', () => {
    const features = fs.readFileSync(path.join(root, 'dist', 'features.js'), 'utf8');
    assert.ok(features.includes('require("./markdown-it.js")'), 'dist/features.js requires ./markdown-it.js');
    for (const bundle of ['extension.js', 'features.js']) {
      assert.ok(!fs.readFileSync(path.join(root, 'dist', bundle), 'utf8').includes('linkify'), `markdown-it (with linkify-it) is in dist/${bundle}`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const MarkdownIt = require(path.join(root, 'dist', 'markdown-it.js')) as new () => { render(text: string): string };
    assert.strictEqual(new MarkdownIt().render('```ts\nx\n```'), '<pre><code class="language-ts">x\n</code></pre>\n');
  });
});
