/** Which keys sign in to the dashboard (read and admin), and the scope a stored session keeps. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyFormatProblem, loadSession, scopeOfKey } from './stored-session.ts';

const tail = 'A'.repeat(32);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('sign-in keys', () => {
  it('takes read and admin keys, refuses ingest and chat keys before any request, saying why', () => {
    expect(keyFormatProblem(`sl_read_${tail}`)).toBeNull();
    expect(keyFormatProblem(` sl_admin_${tail} `)).toBeNull();
    expect(keyFormatProblem(`sl_ingest_${tail}`)).toMatch(/^This is an ingest key .*it can only write/);
    expect(keyFormatProblem(`sl_chat_${tail}`)).toMatch(
      /^This is a chat key .*cannot read the dashboard\. Use the project’s read key .* or admin key/,
    );
    expect(keyFormatProblem('')).toBe('Enter a read key or an admin key.');
    expect(keyFormatProblem('sl_admin_short')).toMatch(/^A read key looks like sl_read_/);
  });

  it('reads the scope from the key prefix', () => {
    expect(scopeOfKey(`sl_admin_${tail}`)).toBe('admin');
    expect(scopeOfKey(`sl_read_${tail}`)).toBe('read');
  });

  it('gives a session saved before scopes were kept the scope its keys name', () => {
    const saved = {
      projects: [
        { key: `sl_read_${tail}`, projectId: 'p1', projectName: 'One' },
        { key: `sl_admin_${tail}`, projectId: 'p2', projectName: 'Two', scope: 'read' },
      ],
      activeProjectId: 'p2',
    };
    vi.stubGlobal('localStorage', { getItem: () => JSON.stringify(saved) });
    expect(loadSession()).toEqual({
      projects: [
        { key: `sl_read_${tail}`, projectId: 'p1', projectName: 'One', scope: 'read' },
        { key: `sl_admin_${tail}`, projectId: 'p2', projectName: 'Two', scope: 'admin' },
      ],
      activeProjectId: 'p2',
    });
  });
});
