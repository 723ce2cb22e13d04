/** Why the cloud could not open its database, with what to do about it. */
export class StorageOpenError extends Error {
  override readonly name = 'StorageOpenError';
  readonly hint: string;

  constructor(message: string, hint: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.hint = hint;
  }
}
