import { type ErrorCode, SightlineError, type SightlineErrorOptions } from '@sightline/core';

/** Base class of errors the server raises itself (a SightlineError with a stable `code`). */
export class ServerError extends SightlineError {
  constructor(code: ErrorCode, message: string, options: SightlineErrorOptions = {}) {
    super(code, message, options);
    this.name = 'ServerError';
  }
}

// The one code -> HTTP status table is @sightline/core/http's, shared with @sightline/serve; exported
// here under its old name too.
export { HTTP_STATUS as HTTP_STATUS_BY_CODE, statusOf } from '@sightline/core/http';
