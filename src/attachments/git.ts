/** The built-in git extension's API (`vscode.git`, version 1), only the part the context chips use. */
import { execFile } from 'child_process';
import * as vscode from 'vscode';

/** The members of the git extension's `Repository` used here (its `git.d.ts`). */
export interface GitRepository {
  readonly rootUri: vscode.Uri;
  diff(cached?: boolean): Promise<string>;
}

interface GitApi {
  readonly git: { readonly path: string };
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The git API, or undefined when the git extension is missing or disabled (`git.enabled: false`). */
async function gitApi(): Promise<GitApi | undefined> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return undefined;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports?.enabled ? exports.getAPI(1) : undefined;
}

/** The repository of `uri`, else the workspace's first one; or what to tell the user. */
export async function gitRepositoryFor(uri: vscode.Uri | undefined): Promise<{ readonly repository: GitRepository } | { readonly refused: string }> {
  const api = await gitApi();
  if (!api) return { refused: vscode.l10n.t('The Git extension is disabled, so changes cannot be attached.') };
  const repository = (uri && api.getRepository(uri)) ?? api.repositories[0];
  if (!repository) return { refused: vscode.l10n.t('No Git repository is open in this workspace.') };
  return { repository };
}

/** Runs git with `args` in `cwd`; resolves with its exit code (git check-ignore: 0 ignored, 1 not ignored). */
function runGit(gitPath: string, args: readonly string[], cwd: string, input?: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(gitPath, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1) : 0;
      resolve({ code, stdout: String(stdout) });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Whether git ignores the file (its repository's .gitignore, info/exclude, the global excludes). */
export async function isGitIgnored(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme !== 'file') return false;
  const api = await gitApi();
  const repository = api?.getRepository(uri);
  if (!api || !repository) return false;
  const { code } = await runGit(api.git.path, ['check-ignore', '-q', '--', uri.fsPath], repository.rootUri.fsPath);
  return code === 0;
}

/** Of `uris`, the ones git ignores (one `git check-ignore --stdin` per repository). */
export async function gitIgnored(uris: readonly vscode.Uri[]): Promise<Set<string>> {
  const ignored = new Set<string>();
  const api = await gitApi();
  if (!api) return ignored;
  const byRepository = new Map<GitRepository, vscode.Uri[]>();
  for (const uri of uris) {
    const repository = uri.scheme === 'file' ? api.getRepository(uri) : null;
    if (!repository) continue;
    const files = byRepository.get(repository) ?? [];
    files.push(uri);
    byRepository.set(repository, files);
  }
  for (const [repository, files] of byRepository) {
    const { stdout } = await runGit(api.git.path, ['check-ignore', '--stdin'], repository.rootUri.fsPath, files.map((uri) => uri.fsPath).join('\n') + '\n');
    for (const line of stdout.split('\n')) if (line.trim()) ignored.add(vscode.Uri.file(line.trim()).toString());
  }
  return ignored;
}
