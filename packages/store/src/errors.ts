import { type ErrorCode, SightlineError, type SightlineErrorOptions } from '@sightline/core';

/** Base class of every error the store throws (a SightlineError with a stable `code`). */
export class StoreError extends SightlineError {
  constructor(code: ErrorCode, message: string, options: SightlineErrorOptions = {}) {
    super(code, message, options);
    this.name = 'StoreError';
  }
}
