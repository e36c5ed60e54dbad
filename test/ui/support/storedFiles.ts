// What VS Code keeps on disk for the tests' windows: files holding a text (the key, an answer), and the chat's
// conversation files among them.
import * as fs from 'fs';
import * as path from 'path';
import type { Workbench } from './workbench';

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Every file under `dir` that contains `needle`, as its path relative to `dir` with the count. */
export function filesWith(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.isFile() && fs.statSync(full).size < 256 * 1024 * 1024) {
        const count = occurrences(fs.readFileSync(full).toString('utf8'), needle);
        if (count > 0) found.push(`${path.relative(dir, full)} (${count})`);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return found;
}

/** The chat's conversation files (one per conversation, in a folder per workspace) that contain `needle`. */
export function conversationFilesWith(wb: Workbench, needle: string): string[] {
  return filesWith(wb.run.userDataDir, needle).filter((file) => /(^|[\\/])conversations[\\/][^\\/]+[\\/](?!index\.json)[^\\/]+\.json /.test(file));
}

/** The folders holding conversation files under the window's user data (one per workspace, or the one without). */
export function conversationFolders(wb: Workbench): string[] {
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(current, entry.name);
      if (path.basename(current) === 'conversations') found.push(full);
      else walk(full);
    }
  };
  if (fs.existsSync(wb.run.userDataDir)) walk(wb.run.userDataDir);
  return found;
}
