import { StoreError } from './errors.ts';

/** Encodes a pagination position as an opaque URL-safe string. */
export function encodeCursor(position: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a cursor that was not is an `invalid_request`. */
export function decodeCursor(
  cursor: string,
  shape: ReadonlyArray<'string' | 'number'>,
): Array<string | number> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw invalidCursor(cause);
  }
  if (
    !Array.isArray(value) ||
    value.length !== shape.length ||
    value.some((part, i) => typeof part !== shape[i])
  ) {
    throw invalidCursor();
  }
  return value as Array<string | number>;
}

function invalidCursor(cause?: unknown): StoreError {
  return new StoreError('invalid_request', 'cursor: is not a cursor this API returned', {
    cause,
    issues: [{ path: 'cursor', message: 'is not a cursor this API returned' }],
  });
}
