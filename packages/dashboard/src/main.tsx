/** The dashboard's entry: take a `#key=` sign-in link out of the address, then render. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { SessionProvider } from './session/session-context.tsx';
import { takeKeyFromHash } from './session/stored-session.ts';
import './styles.css';

const linkKey = takeKeyFromHash();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <App linkKey={linkKey} />
    </SessionProvider>
  </StrictMode>,
);
