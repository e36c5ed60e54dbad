import * as vscode from 'vscode';
import { TrackedSpan } from './trackedSpan';

export const PROPOSAL_SCHEME = 'anyapi-proposal';

/** An edit the model proposed, waiting for the user to accept or reject it in a diff. */
interface Proposal {
  readonly id: string;
  readonly tracked: TrackedSpan;
  readonly originalCode: string;
  readonly newCode: string;
  readonly originalText: string;
  readonly proposedText: string;
  readonly originalUri: vscode.Uri;
  readonly proposedUri: vscode.Uri;
  readonly fileLabel: string;
}

export type ProposalOutcome =
  | { readonly status: 'accepted' }
  | { readonly status: 'rejected' }
  | { readonly status: 'refused'; readonly message: string };

/**
 * Shows proposed edits as diffs (a read-only virtual document per side) and applies an accepted one in one undo
 * step, on the same code it was made for or not at all.
 */
export class ProposalManager implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, Proposal>();
  private nextId = 1;
  private readonly tabSubscription: vscode.Disposable;

  constructor() {
    // A diff closed without Accept or Reject is a rejection: nothing of it is kept.
    this.tabSubscription = vscode.window.tabGroups.onDidChangeTabs((event) => {
      for (const tab of event.closed) {
        if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PROPOSAL_SCHEME) {
          const id = tab.input.modified.path.split('/')[1];
          const proposal = this.proposals.get(id);
          if (proposal) {
            this.proposals.delete(id);
            proposal.tracked.dispose();
          }
        }
      }
    });
  }

  /** Opens the diff for a proposal and returns its id. */
  async propose(document: vscode.TextDocument, range: vscode.Range, newCode: string, fileLabel: string): Promise<string> {
    const id = String(this.nextId++);
    const originalText = document.getText();
    const start = document.offsetAt(range.start);
    const end = document.offsetAt(range.end);
    const proposedText = originalText.slice(0, start) + newCode + originalText.slice(end);
    const name = document.uri.path.split('/').pop() || 'code';
    const originalUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/original/${name}` });
    const proposedUri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${id}/proposed/${name}` });
    const proposal: Proposal = {
      id,
      tracked: new TrackedSpan(document, range),
      originalCode: document.getText(range),
      newCode,
      originalText,
      proposedText,
      originalUri,
      proposedUri,
      fileLabel,
    };
    this.proposals.set(id, proposal);
    await vscode.commands.executeCommand(
      'vscode.diff',
      originalUri,
      proposedUri,
      vscode.l10n.t('AnyAPI Edit: {0} (Current ↔ Proposed)', fileLabel),
      { preview: false, viewColumn: vscode.ViewColumn.Active },
    );
    await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(proposedUri), document.languageId).then(
      undefined,
      () => undefined,
    );
    return id;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, id, side] = uri.path.split('/');
    const proposal = this.proposals.get(id);
    if (!proposal) {
      return '';
    }
    return side === 'original' ? proposal.originalText : proposal.proposedText;
  }

  /** The proposal shown in the given editor (the diff's either side), or the only one. */
  findId(uri?: vscode.Uri): string | undefined {
    if (uri?.scheme === PROPOSAL_SCHEME) {
      const id = uri.path.split('/')[1];
      if (this.proposals.has(id)) {
        return id;
      }
    }
    // Without a diff in view, only an unambiguous proposal is meant.
    return this.proposals.size === 1 ? [...this.proposals.keys()][0] : undefined;
  }

  has(id: string): boolean {
    return this.proposals.has(id);
  }

  async accept(id: string): Promise<ProposalOutcome> {
    const proposal = this.proposals.get(id);
    if (!proposal) {
      return { status: 'refused', message: vscode.l10n.t('This AnyAPI edit was already accepted or rejected.') };
    }
    const { document } = proposal.tracked;
    if (document.isClosed) {
      return {
        status: 'refused',
        message: vscode.l10n.t('{0} was closed, so the edit was not applied. The proposal stays open: copy what you need from it.', proposal.fileLabel),
      };
    }
    const range = this.locate(proposal);
    if (!range) {
      return {
        status: 'refused',
        message: vscode.l10n.t(
          'The code in {0} changed while the edit was being prepared, so it was not applied: AnyAPI never edits lines it cannot match. The proposal stays open: copy what you need, or run Edit Selection again.',
          proposal.fileLabel,
        ),
      };
    }
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, range, proposal.newCode);
    if (!(await vscode.workspace.applyEdit(edit))) {
      return {
        status: 'refused',
        message: vscode.l10n.t('VS Code could not change {0} (is it read-only?). The proposal stays open: copy what you need from it.', proposal.fileLabel),
      };
    }
    await this.close(proposal);
    return { status: 'accepted' };
  }

  async reject(id: string): Promise<ProposalOutcome> {
    const proposal = this.proposals.get(id);
    if (proposal) {
      await this.close(proposal);
    }
    return { status: 'rejected' };
  }

  /** Where the original code is now: its tracked range, or its only occurrence in the document. */
  private locate(proposal: Proposal): vscode.Range | undefined {
    const { document } = proposal.tracked;
    const tracked = proposal.tracked.range;
    if (tracked && document.getText(tracked) === proposal.originalCode) {
      return tracked;
    }
    const text = document.getText();
    const first = text.indexOf(proposal.originalCode);
    if (proposal.originalCode.length === 0 || first < 0 || text.indexOf(proposal.originalCode, first + 1) >= 0) {
      return undefined;
    }
    return new vscode.Range(document.positionAt(first), document.positionAt(first + proposal.originalCode.length));
  }

  private async close(proposal: Proposal): Promise<void> {
    this.proposals.delete(proposal.id);
    proposal.tracked.dispose();
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const diffTabs = tabs.filter((tab) => {
      const input = tab.input;
      return (
        input instanceof vscode.TabInputTextDiff &&
        (input.modified.toString() === proposal.proposedUri.toString() || input.original.toString() === proposal.originalUri.toString())
      );
    });
    if (diffTabs.length > 0) {
      await vscode.window.tabGroups.close(diffTabs);
    }
    await vscode.window.showTextDocument(proposal.tracked.document, { preview: false }).then(undefined, () => undefined);
  }

  dispose(): void {
    this.tabSubscription.dispose();
    for (const proposal of this.proposals.values()) {
      proposal.tracked.dispose();
    }
    this.proposals.clear();
  }
}
