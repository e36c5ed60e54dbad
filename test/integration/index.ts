// Entry point of the integration suite inside the extension host (the `extensionTestsPath` of a test run).
// Loads every `*.test.js` beside it, writes a results file for the harness and rejects when a test fails.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface Results {
  /** The VS Code that ran the suite, so the harness can tell 1.90 was tested, not assumed. */
  vscodeVersion: string;
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; message: string }[];
}

export function run(): Promise<void> {
  // `@restricted` tests need a workspace that is not trusted, `@multiroot` ones a multi-root workspace: the harness
  // runs each kind in a pass of its own, and the trusted pass runs the rest.
  const pass = process.env.ANYAPI_TEST_PASS ?? 'trusted';
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  // ANYAPI_TEST_GREP: a regular expression over full test titles, to run a few tests only.
  const only = process.env.ANYAPI_TEST_GREP ? `(?=.*(?:${process.env.ANYAPI_TEST_GREP}))` : '';
  const tag = pass === 'restricted' ? '@restricted' : pass === 'multiroot' ? '@multiroot' : undefined;
  mocha.grep(new RegExp(tag ? `^(?=.*${tag})${only}` : `^(?!.*(?:@restricted|@multiroot))${only}`));
  for (const file of fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const results: Results = { vscodeVersion: vscode.version, passed: 0, failed: 0, pending: 0, failures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.ANYAPI_TEST_RESULTS;
      if (file) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, JSON.stringify(results, null, 2));
      }
      if (failures > 0) {
        reject(new Error(`${failures} integration test(s) failed`));
      } else {
        resolve();
      }
    });
    runner.on('pass', () => (results.passed += 1));
    runner.on('pending', () => (results.pending += 1));
    runner.on('fail', (test, error: Error) => {
      results.failed += 1;
      results.failures.push({ title: test.fullTitle(), message: error?.message ?? String(error) });
    });
  });
}
