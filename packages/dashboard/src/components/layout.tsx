import { type ReactNode, useEffect, useRef } from 'react';
import { NAV_ITEMS } from '../nav-items.ts';
import { useLocation } from '../router/hash-router.ts';
import { ProjectSwitcher } from './project-switcher.tsx';

/** The signed-in frame: brand, section navigation, project switcher, and the page. */
export function Layout(props: { children: ReactNode }) {
  const location = useLocation();
  const current = location.segments[0];
  const navRef = useRef<HTMLUListElement>(null);
  // On a phone the sections scroll sideways: bring the current one into view (never the page).
  useEffect(() => {
    const list = navRef.current;
    if (!current || !list) return;
    const active = list?.querySelector<HTMLElement>('.nav-link.active');
    if (!active || list.scrollWidth <= list.clientWidth) return;
    const left = active.getBoundingClientRect().left - list.getBoundingClientRect().left + list.scrollLeft;
    if (left < list.scrollLeft || left + active.offsetWidth > list.scrollLeft + list.clientWidth)
      list.scrollLeft = Math.max(0, left - 8);
  }, [current]);
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
          <ul ref={navRef} className="nav-list">
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
