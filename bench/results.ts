import * as fs from 'fs';
import * as path from 'path';

const file = path.resolve(__dirname, '../..', 'bench', 'results.json');

/** Adds `values` to bench/results.json: the figures of every benchmark, by key (`decode.vsFloor`, …). */
export function writeResults(values: Record<string, number>): void {
  let results: Record<string, unknown> = {};
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // The first benchmark of a run.
  }
  fs.writeFileSync(file, `${JSON.stringify({ ...results, ...values }, null, 2)}\n`);
}
