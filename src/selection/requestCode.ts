/** Edit's and Write's request for code: a cut-off, empty or failed answer is kept and said the same way for both. */
import * as vscode from 'vscode';
import type { ResponseResult } from '../api/index';
import { readConfig } from '../config/config';
import type { Command } from '../constants';
import { describeError } from '../errors/describeError';
import { showErrorNotification } from '../errors/errorActions';
import type { ExtractedCode } from '../prompts/answerCode';
import { extractCode } from '../prompts/answerCode';
import type { Services } from '../services';
import type { ComponentLogger } from '../util/logger';
import { keepUnapplied, openInNewEditor, retryOnSameCode } from './keepAnswer';
import type { PreparedSelection } from './prepareSelection';
import { requestWithProgress } from './requestWithProgress';

/** A range that follows its code while the request runs (src/edit's TrackedSpan); disposed when the request ends. */
export interface FollowedRange extends vscode.Disposable {
  /** Where the code is now; undefined when an edit touched it or its document closed. */
  readonly range: vscode.Range | undefined;
}

/** The code was not applied: the request was cancelled, or failed with the sentence the user was shown. */
export interface CodeNotApplied {
  readonly status: 'cancelled' | 'failed';
  readonly message?: string;
}

/** What the code was taken from: the whole answer, and which of its fenced blocks (if any) the code is. */
export interface AnswerTaken {
  readonly text: string;
  readonly block: ExtractedCode;
}

/** What differs between Edit's and Write's requests. */
export interface CodeRequest<R> {
  /** The command the error notification's Retry reruns on the same code with the same instruction. */
  readonly command: Command.EditSelection | Command.WriteAtCursor;
  /** The component the log lines are tagged with. */
  readonly component: string;
  /** The progress notification's title. */
  readonly title: string;
  readonly prompt: string;
  /** Starts following the target's range, so the code lands where it is when the answer arrives. */
  readonly follow: (document: vscode.TextDocument, range: vscode.Range) => FollowedRange;
  /** Why a cut-off answer (its reason, e.g. `max_output_tokens`) was not applied. */
  readonly cutShortMessage: (reason: string) => string;
  /** Why an answer without code was not applied. */
  readonly noCodeMessage: string;
  /**
   * Applies the code where its range is now (undefined when the code is no longer known to be there), fitting its
   * indentation to that place.
   */
  readonly apply: (code: string, range: vscode.Range | undefined, log: ComponentLogger, answer: AnswerTaken) => Promise<R>;
}

/**
 * Sends the prepared code behind the progress notification and applies the answer's code. A cut-off or empty answer
 * is kept in a new editor and never applied; a failure keeps its partial answer and offers Retry on the same code.
 */
export async function requestCode<R>(services: Services, prepared: PreparedSelection, request: CodeRequest<R>): Promise<R | CodeNotApplied> {
  const { target } = prepared;
  const followed = request.follow(target.document, target.range);
  const log = services.logger.forComponent(request.component);
  try {
    const answer = await requestWithProgress(services, {
      title: request.title,
      prompt: request.prompt,
      scope: target.document.uri,
      cancellation: prepared.args.cancellation,
    });
    const block = extractCode(answer.text, target.languageId);
    if (answer.status === 'incomplete' || !block.code.trim()) {
      return await keepUnusable(answer, block.code, target.languageId, request);
    }
    if (block.count > 1) {
      log.info(`Took block ${block.index} of ${block.count} (${block.language || 'no language'}) from the answer.`);
    }
    return await request.apply(block.code, followed.range, log, { text: answer.text, block });
  } catch (error) {
    return await reportFailure(error, prepared, request.command, followed, log);
  } finally {
    followed.dispose();
  }
}

/** The label of the button that opens the whole answer, when the code applied was one of several blocks. */
export function openAnswerLabel(): string {
  return vscode.l10n.t('Open Whole Answer');
}

/** Opens the whole answer the code was taken from in a new untitled markdown editor. */
export async function openWholeAnswer(answer: AnswerTaken): Promise<void> {
  await openInNewEditor(answer.text, 'markdown');
}

/** A cut-off answer keeps its code, an answer without code its whole text, in a new editor, with why. */
async function keepUnusable(answer: ResponseResult, code: string, languageId: string, request: CodeRequest<unknown>): Promise<CodeNotApplied> {
  const incomplete = answer.status === 'incomplete';
  const message = incomplete ? request.cutShortMessage(answer.incompleteReason ?? 'incomplete') : request.noCodeMessage;
  await keepUnapplied(incomplete ? code : answer.text, incomplete ? languageId : 'markdown', message);
  return { status: 'failed', message };
}

/** A cancelled request ends quietly; a failed one keeps its partial answer and shows the error with Retry. */
async function reportFailure(
  error: unknown,
  prepared: PreparedSelection,
  command: CodeRequest<unknown>['command'],
  followed: FollowedRange,
  log: ComponentLogger,
): Promise<CodeNotApplied> {
  const { document } = prepared.target;
  const described = describeError(error, readConfig(document.uri).baseUrl);
  if (described.kind === 'aborted') {
    return { status: 'cancelled' };
  }
  log.warn(error instanceof Error ? error.message : String(error));
  if (described.partialText?.trim()) {
    await openInNewEditor(described.partialText, 'markdown');
  }
  showErrorNotification(described, retryOnSameCode(command, document, followed.range, prepared.instruction));
  return { status: 'failed', message: described.message };
}
