// npm run bench: every benchmark in turn, each printing its table; bench/results.json gets the figures of this run.
// Exits non-zero if any target is missed, after all have run.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const benchmarks = ['clientStream.bench.js', 'decode.bench.js', 'renderCost.bench.js', 'history.bench.js', 'vscode.bench.js'];
fs.rmSync(path.resolve(__dirname, '../..', 'bench', 'results.json'), { force: true });
let failed = 0;
for (const name of benchmarks) {
  const result = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, name)], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
console.log(failed === 0 ? '\nEvery target met.' : `\n${failed} of ${benchmarks.length} benchmarks missed a target (see FAIL above).`);
process.exitCode = failed === 0 ? 0 : 1;
