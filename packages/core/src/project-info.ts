/**
 * What `GET /v1/project` answers: the project an API key belongs to and the key's scope. A response
 * schema: the type is inferred from it; the OpenAPI document names it `Project`.
 */
import { z } from 'zod';

/** The scopes of project API keys: write events, read, run served agents, manage the project. */
export const API_KEY_SCOPES = ['ingest', 'read', 'chat', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** The project a key belongs to (no data of it) and the key's own scope. */
export const projectInfoSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    scope: z.enum(API_KEY_SCOPES).describe('The scope of the key that asked'),
  })
  .meta({ id: 'Project' });

export type ProjectInfo = z.output<typeof projectInfoSchema>;
