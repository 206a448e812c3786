/**
 * `GET /v1/project/settings` (read or admin key) and `PATCH /v1/project/settings` (admin key): the
 * project's redaction rules and retention. A patch merges field by field (null clears a field). Each
 * redaction pattern is checked before anything is saved (it compiles, cannot match empty text, repeats
 * no repeated group, uses no backreference, is not slow on adversarial texts); a bad one is a 400
 * naming it. Saving invalidates this node's cached rules; other nodes apply them within their cache time.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import {
  type FieldIssue,
  projectSettingsSchema,
  REDACTION_DETECTORS,
  toFieldIssues,
  ValidationError,
} from '@sightline/core';
import { readJsonBody } from '@sightline/core/http';
import type { Store } from '@sightline/store';
import { errorResponses } from '../api-schemas.ts';
import { type AppEnv, type KeyCache, requireKey, SCOPES } from '../auth.ts';
import { PATTERN_FLAGS, patternProblem } from '../redaction/pattern-check.ts';
import { probePatterns } from '../redaction/pattern-probe.ts';
import type { Redactor } from '../redaction/redactor.ts';

export interface ProjectSettingsDeps {
  store: Store;
  keys: KeyCache;
  redactor: Redactor;
}

const DESCRIPTION = `\`redaction.detectors\` turns on built-in detectors (${REDACTION_DETECTORS.map((d) => `\`${d}\``).join(', ')}); \`redaction.patterns\` adds the project's own regular expressions (JavaScript syntax, run with the \`u\` flag; \`[REDACTED:<name>]\` replaces each match unless \`replacement\` says otherwise). Rules apply to every event before it is written, on every ingest path; an event on which a rule fails is refused, never stored raw. \`retentionDays\` is how long conversations are kept. A patch merges field by field; \`null\` clears a field.`;

const settingsResponse = {
  description: "The project's settings",
  content: { 'application/json': { schema: projectSettingsSchema } },
};

/** The project settings router. */
export function projectSettingsRoutes(deps: ProjectSettingsDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openAPIRegistry.registerPath({
    method: 'get',
    path: '/v1/project/settings',
    tags: ['Project'],
    summary: "The project's redaction rules and retention",
    description: DESCRIPTION,
    security: [{ Bearer: [] }],
    responses: { 200: settingsResponse, ...errorResponses },
  });
  app.openAPIRegistry.registerPath({
    method: 'patch',
    path: '/v1/project/settings',
    tags: ['Project'],
    summary: "Change the project's redaction rules or retention (admin key)",
    description: DESCRIPTION,
    security: [{ Bearer: [] }],
    request: {
      body: { required: true, content: { 'application/json': { schema: projectSettingsSchema } } },
    },
    responses: { 200: settingsResponse, ...errorResponses },
  });
  app.get('/v1/project/settings', requireKey(deps.keys, SCOPES.read), async (c) => {
    return c.json(await deps.store.getProjectSettings(c.get('auth').projectId), 200);
  });
  app.patch('/v1/project/settings', requireKey(deps.keys, SCOPES.admin), async (c) => {
    const { projectId } = c.get('auth');
    const parsed = projectSettingsSchema.safeParse(await readJsonBody(c, { maxBytes: 256 * 1024 }));
    if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error.issues));
    const patterns = parsed.data.redaction?.patterns ?? [];
    const issues = patternIssues(patterns);
    if (issues.length === 0) {
      const slow = await probePatterns(
        patterns.map((p) => p.pattern),
        { flags: PATTERN_FLAGS },
      );
      for (const [index, message] of slow)
        issues.push({ path: `redaction.patterns.${index}.pattern`, message });
    }
    if (issues.length > 0) throw new ValidationError(issues);
    const settings = await deps.store.updateProjectSettings(projectId, parsed.data);
    deps.redactor.invalidate(projectId);
    return c.json(settings, 200);
  });
  return app;
}

/** What is wrong with a list of patterns, without running them. */
function patternIssues(patterns: ReadonlyArray<{ name: string; pattern: string }>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const names = new Set<string>();
  patterns.forEach((pattern, index) => {
    const at = `redaction.patterns.${index}`;
    if ((REDACTION_DETECTORS as readonly string[]).includes(pattern.name))
      issues.push({ path: `${at}.name`, message: `is a built-in detector's name; choose another` });
    else if (names.has(pattern.name)) issues.push({ path: `${at}.name`, message: 'repeats an earlier name' });
    names.add(pattern.name);
    const problem = patternProblem(pattern.pattern);
    if (problem) issues.push({ path: `${at}.pattern`, message: problem });
  });
  return issues;
}
