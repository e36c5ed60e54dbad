/** No key is stored, so nothing was sent: one error kind (`noKey`), one sentence, the Set API Key action. */
export class MissingKeyError extends Error {
  override readonly name = 'MissingKeyError';
  readonly kind = 'noKey';

  constructor() {
    super('No AnyAPI key is set.');
  }
}

export function isMissingKeyError(error: unknown): error is MissingKeyError {
  return error instanceof Error && error.name === 'MissingKeyError';
}
