/**
 * @sightline/core/http: the HTTP boundary the collector (@sightline/server) and served agents
 * (@sightline/serve) share, for Hono apps: reading JSON bodies within limits, the error body and the one
 * code -> status table, and the error handler. Needs `hono` (a peer dependency of core, optional: the
 * root entry never loads this).
 */
export { type BodyLimits, bodyTooLarge, DEFAULT_MAX_BODY_BYTES, readBodyBytes } from './body-bytes.ts';
export { type ErrorHandlerOptions, errorHandler, notFoundHandler, validationHook } from './error-handler.ts';
export { errorBodyOf, HTTP_STATUS, statusOf } from './http-status.ts';
export {
  checkJsonContentType,
  type JsonBodyOptions,
  parseJson,
  parseWith,
  readJsonBody,
  readValidJson,
} from './json-body.ts';
export { checkJsonShape, MAX_JSON_DEPTH } from './json-shape.ts';
