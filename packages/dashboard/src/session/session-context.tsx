/**
 * The signed-in state as React context: the active project's API client and key scope (`read`, or
 * `admin`: the local owner, who may also chat and manage), the other projects this browser holds keys
 * for, and sign in / switch / sign out. Nothing under it renders without a key.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { ApiClient } from '../api/client.ts';
import {
  keyFormatProblem,
  loadSession,
  type StoredProject,
  type StoredSession,
  saveSession,
} from './stored-session.ts';

export interface Session {
  client: ApiClient | null;
  project: StoredProject | null;
  projects: StoredProject[];
  /** Why the last session ended (e.g. the key was revoked), shown on the sign-in page. */
  notice: string | null;
  /** Checks the key against the collector and makes its project the active one. */
  signIn(key: string): Promise<void>;
  switchProject(projectId: string): void;
  /** Forgets the active project's key (or all keys). */
  signOut(options?: { all?: boolean }): void;
  /** Ends the active project's session because the collector refused its key. */
  expire(message: string): void;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider(props: { children: ReactNode }) {
  const [state, setState] = useState<StoredSession>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);

  const update = useCallback((next: (current: StoredSession) => StoredSession) => {
    setState((current) => {
      const value = next(current);
      saveSession(value);
      return value;
    });
  }, []);

  const signIn = useCallback(
    async (raw: string) => {
      const key = raw.trim();
      const problem = keyFormatProblem(key);
      if (problem) throw new ApiError({ status: 400, code: 'invalid_key', message: problem });
      const project = await new ApiClient(key).project();
      if (project.scope !== 'read' && project.scope !== 'admin')
        throw new ApiError({
          status: 403,
          code: 'forbidden',
          message: `This is ${project.scope === 'ingest' ? 'an ingest' : 'a chat'} key: it cannot read; use a read key or an admin key.`,
        });
      const stored: StoredProject = {
        key,
        projectId: project.id,
        projectName: project.name,
        scope: project.scope,
      };
      setNotice(null);
      update((current) => ({
        projects: [...current.projects.filter((p) => p.projectId !== project.id), stored],
        activeProjectId: project.id,
      }));
    },
    [update],
  );

  const removeActive = useCallback((current: StoredSession): StoredSession => {
    const projects = current.projects.filter((p) => p.projectId !== current.activeProjectId);
    return { projects, activeProjectId: projects[0]?.projectId ?? null };
  }, []);

  const project = state.projects.find((p) => p.projectId === state.activeProjectId) ?? null;
  const key = project?.key ?? null;
  const client = useMemo(() => (key ? new ApiClient(key) : null), [key]);

  const value = useMemo<Session>(() => {
    return {
      client,
      project,
      projects: state.projects,
      notice,
      signIn,
      switchProject: (projectId) => update((current) => ({ ...current, activeProjectId: projectId })),
      signOut: (options = {}) =>
        update((current) => (options.all ? { projects: [], activeProjectId: null } : removeActive(current))),
      expire: (message) => {
        setNotice(message);
        update(removeActive);
      },
    };
  }, [client, project, state.projects, notice, signIn, update, removeActive]);

  return <SessionContext.Provider value={value}>{props.children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}

/** The active project's client; only for pages rendered behind the sign-in gate. */
export function useClient(): ApiClient {
  const { client } = useSession();
  if (!client) throw new Error('useClient needs a signed-in session');
  return client;
}
