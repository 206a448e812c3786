import type { ReactNode } from 'react';
import { NAV_ITEMS } from '../nav-items.ts';
import { useLocation } from '../router/hash-router.ts';
import { ProjectSwitcher } from './project-switcher.tsx';

/** The signed-in frame: brand, section navigation, project switcher, and the page. */
export function Layout(props: { children: ReactNode }) {
  const location = useLocation();
  const current = location.segments[0];
  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Sightline
        </div>
        <nav aria-label="Sections">
          <ul className="nav-list">
            {NAV_ITEMS.map((item) => (
              <li key={item.segment}>
                <a
                  href={`#/${item.segment}`}
                  className={`nav-link${current === item.segment ? ' active' : ''}`}
                  aria-current={current === item.segment ? 'page' : undefined}
                >
                  <span className="nav-glyph" aria-hidden="true">
                    {item.glyph}
                  </span>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-footer">
          <ProjectSwitcher />
          <a className="muted small" href="/docs" target="_blank" rel="noreferrer">
            API docs ↗
          </a>
        </div>
      </aside>
      <main id="main" className="main" tabIndex={-1}>
        {props.children}
      </main>
    </div>
  );
}
