/**
 * The error shape of every route, for the OpenAPI document (`/openapi.json`, `/docs`). What the routes
 * answer otherwise is declared once in @sightline/core (`conversationDetailSchema`, `metricsResponseSchema`,
 * ...): the routes use those schemas as they are, and each names itself in the document by its zod
 * `.meta({ id })`.
 */
import { z } from '@hono/zod-openapi';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z
        .string()
        .openapi({ example: 'events.0.body.role: Invalid option: expected one of "human"|"agent"|"system"' }),
      issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

/** The standard error responses every authenticated route can give. */
export const errorResponses = {
  400: {
    description: 'Invalid input; `issues` names each field',
    content: { 'application/json': { schema: errorSchema } },
  },
  401: {
    description: 'Missing or invalid API key',
    content: { 'application/json': { schema: errorSchema } },
  },
  403: {
    description: 'The key has the wrong scope; the message names the scopes the route accepts',
    content: { 'application/json': { schema: errorSchema } },
  },
} as const;

/** A JSON response of `schema` for a route's OpenAPI declaration. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body of `schema` for a route's OpenAPI declaration. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

/** The security requirement of every key-authenticated route (`Authorization: Bearer <key>`). */
export const bearerSecurity = [{ Bearer: [] }];
