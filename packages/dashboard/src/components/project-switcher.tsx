import { useId } from 'react';
import { navigate } from '../router/hash-router.ts';
import { useSession } from '../session/session-context.tsx';

const ADD = '__add__';

/** Switches between the projects this browser holds read keys for; adds one; signs out. */
export function ProjectSwitcher() {
  const session = useSession();
  const id = useId();
  return (
    <div className="project-switcher">
      <label htmlFor={id} className="muted small">
        Project
      </label>
      <select
        id={id}
        className="input"
        value={session.project?.projectId ?? ''}
        onChange={(event) => {
          if (event.target.value === ADD) navigate('/projects/add');
          else {
            session.switchProject(event.target.value);
            navigate('/conversations');
          }
        }}
      >
        {session.projects.map((project) => (
          <option key={project.projectId} value={project.projectId}>
            {project.projectName}
          </option>
        ))}
        <option value={ADD}>+ Add a project key…</option>
      </select>
      <button
        type="button"
        className="button button-quiet"
        title="Forget this project's key in this browser"
        onClick={() => session.signOut()}
      >
        Sign out
      </button>
    </div>
  );
}
