// Runs in the extension host of a fresh VS Code window (the `extensionTestsPath` of the activation benchmark): it
// activates the installed AnyAPI extension and reads VS Code's own measurement of it from Developer: Startup
// Performance (the `perf:` document): loading its code, calling activate(), and activate() resolving. The table's
// "load code" starts before the extension host awaits its turn: extensions activated by the same event load their
// code one after the other, and each waits for those before it. The extension host's own marks around the require
// (`code/extHost/willLoadExtensionCode/<id>`, `didLoadExtensionCode/<id>`) are the time this extension's code took.
import * as fs from 'fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'anyapi.anyapi-vscode';
/** The probe's own extension: only `require('vscode')` and an empty activate(), the least any extension costs. */
const FLOOR_ID = 'anyapi-bench.activation-probe';

export interface ActivationTimes {
  vscodeVersion: string;
  loadCodeMs: number;
  callActivateMs: number;
  finishActivateMs: number;
  event: string;
  /** From the extension host's marks: the require of the extension's main file alone, without the wait for its turn. */
  ownLoadMs?: number;
  /** The same figures for an extension that does nothing. */
  floor?: Omit<ActivationTimes, 'vscodeVersion' | 'floor'>;
}

/** The extension's row of the "Extension Activation Stats" table: | id | eager | load | call | finish | event | by | */
export function activationRow(markdown: string, id: string): Omit<ActivationTimes, 'vscodeVersion' | 'floor'> | undefined {
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells[1] !== id) continue;
    const [loadCodeMs, callActivateMs, finishActivateMs] = cells.slice(3, 6).map(Number);
    if ([loadCodeMs, callActivateMs, finishActivateMs].some((value) => !Number.isFinite(value))) continue;
    return { loadCodeMs, callActivateMs, finishActivateMs, event: cells[6] ?? '' };
  }
  return undefined;
}

/** The marks VS Code's extension host keeps (src/vs/base/common/performance.ts): name and start time in ms. */
interface PerformanceMarks {
  getMarks(): { name: string; startTime: number }[];
}

/** didLoadExtensionCode − willLoadExtensionCode for `id`, where this VS Code keeps both marks. */
export function ownLoadMs(marks: readonly { name: string; startTime: number }[], id: string): number | undefined {
  const at = (name: string): number | undefined => marks.find((mark) => mark.name === `code/extHost/${name}/${id}`)?.startTime;
  const will = at('willLoadExtensionCode');
  const did = at('didLoadExtensionCode');
  return will === undefined || did === undefined ? undefined : +(did - will).toFixed(1);
}

export async function run(): Promise<void> {
  const file = process.env.ANYAPI_BENCH_RESULT;
  if (!file) throw new Error('ANYAPI_BENCH_RESULT is not set');
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this window`);
  await extension.activate();
  // Developer: Startup Performance opens the document (its provider is registered with it). The table lists an
  // extension once its activation has been reported to the window: read until it is there.
  for (let attempt = 0; attempt < 100; attempt++) {
    await vscode.commands.executeCommand('perfview.show');
    const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.scheme === 'perf');
    const row = document && activationRow(document.getText(), EXTENSION_ID);
    const floor = document && activationRow(document.getText(), FLOOR_ID);
    if (row) {
      const marks = (globalThis as { MonacoPerformanceMarks?: PerformanceMarks }).MonacoPerformanceMarks?.getMarks() ?? [];
      const own = ownLoadMs(marks, EXTENSION_ID);
      const floorOwn = ownLoadMs(marks, FLOOR_ID);
      if (own !== undefined) row.ownLoadMs = own;
      if (floor && floorOwn !== undefined) floor.ownLoadMs = floorOwn;
      fs.writeFileSync(file, JSON.stringify({ vscodeVersion: vscode.version, ...row, ...(floor ? { floor } : {}) } satisfies ActivationTimes));
      return;
    }
    if (document) await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Startup Performance never listed ${EXTENSION_ID}`);
}
