/**
 * The OpenAPI document at `/openapi.json` and its reference page at `/docs` (Scalar), served from the
 * installed package and set up for a local tool: no AI agent, MCP generator, developer toolbar
 * (Configure / Share / Deploy), "open in client" button, web fonts or telemetry, all of which call
 * Scalar's cloud and fail on a machine without internet access.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from './auth.ts';
import { serveFile } from './static-files.ts';

const API_VERSION = '0.1.0';

/** Scalar options for the `/docs` page (the installed @scalar/api-reference's configuration). */
export const DOCS_CONFIGURATION = {
  url: '/openapi.json',
  pageTitle: 'Sightline API',
  cdn: '/docs/assets/standalone.js',
  /** "Ask AI": Scalar's hosted agent. */
  agent: { disabled: true },
  /** "Generate MCP" and the VS Code / Cursor install links: Scalar's hosted MCP service. */
  mcp: { disabled: true },
  /** The toolbar with Developer Tools, Configure, Share and Deploy (Scalar's registry and dashboard). */
  showDeveloperTools: 'never',
  /** The button that opens the document in Scalar's hosted API client. */
  hideClientButton: true,
  /** Inter and JetBrains Mono from fonts.scalar.com: the system's fonts instead. */
  withDefaultFonts: false,
  telemetry: false,
  /** The dashboard's icon, so the browser does not ask the collector for /favicon.ico. */
  favicon:
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='6' fill='%234f46e5'/%3E%3Ccircle cx='8' cy='8' r='2.5' fill='white'/%3E%3C/svg%3E",
} as const;

function scalarAssetsDir(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('@scalar/api-reference'))), 'browser');
}

/** Mounts `/openapi.json`, `/docs` and the reference's static assets under `/docs/assets/`. */
export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', {
    type: 'http',
    scheme: 'bearer',
    description:
      'A project API key: `sl_ingest_…` writes events, `sl_read_…` reads, `sl_chat_…` runs the served agents and workflows, `sl_admin_…` manages the project and reads. A key of another scope gets 403 naming the scopes the route accepts.',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sightline API',
      version: API_VERSION,
      description:
        'Ingest conversations, messages, steps and feedback; query them back. Errors are `{ error: { code, message, issues? } }`.',
    },
  });
  const assets = scalarAssetsDir();
  app.get(
    '/docs/assets/*',
    async (c) =>
      (await serveFile(c, { root: assets, prefix: '/docs/assets', immutable: true })) ?? c.notFound(),
  );
  app.get('/docs', Scalar({ ...DOCS_CONFIGURATION }));
}
