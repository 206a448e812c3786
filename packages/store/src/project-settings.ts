/**
 * A project's settings (retention, redaction), stored as one JSON document validated by core's
 * `projectSettingsSchema`. An update merges field by field; a field set to null goes back to its default.
 */
import { type ProjectSettings, type ProjectSettingsInput, projectSettingsSchema } from '@sightline/core';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** The project's settings (an empty object when it never set any). */
export async function getProjectSettings(db: Kysely<Database>, projectId: string): Promise<ProjectSettings> {
  const row = await db
    .selectFrom('project_settings')
    .select('settings')
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row ? projectSettingsSchema.parse(JSON.parse(row.settings)) : {};
}

/** Merges `patch` into the project's settings (null clears a field) and returns the result. */
export async function updateProjectSettings(
  db: Kysely<Database>,
  projectId: string,
  patch: ProjectSettingsInput,
): Promise<ProjectSettings> {
  const changes = projectSettingsSchema.parse(patch);
  return db.transaction().execute(async (trx) => {
    const current = await getProjectSettings(trx, projectId);
    const merged: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const settings = projectSettingsSchema.parse(merged);
    const row = { project_id: projectId, settings: JSON.stringify(settings), updated_at: Date.now() };
    await trx
      .insertInto('project_settings')
      .values(row)
      .onConflict((oc) =>
        oc.column('project_id').doUpdateSet({ settings: row.settings, updated_at: row.updated_at }),
      )
      .execute();
    return settings;
  });
}
