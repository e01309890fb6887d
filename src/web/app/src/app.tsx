/** The app shell: login gate, navigation, and the page for the current path. */
import { useEffect, useState, type ReactNode } from 'react';
import { clearToken, getToken, onUnauthorized } from './api.js';
import { Link } from './components/common.js';
import { AgentsPage } from './pages/agents.js';
import { BlueprintPage, BlueprintsPage } from './pages/blueprints.js';
import { DeploymentPage } from './pages/deployment.js';
import { DeploymentsPage } from './pages/deployments.js';
import { ExecutionPage, ExecutionsPage } from './pages/executions.js';
import { LoginPage } from './pages/login.js';
import { OverviewPage } from './pages/overview.js';
import { SnapshotsPage } from './pages/snapshots.js';
import { match, navigate, useLocation } from './router.js';

const sections = [
  { to: '/', label: 'Overview' },
  { to: '/blueprints', label: 'Blueprints' },
  { to: '/deployments', label: 'Deployments' },
  { to: '/executions', label: 'Executions' },
  { to: '/snapshots', label: 'Snapshots' },
  { to: '/agents', label: 'Agents' },
];

function page(path: string, query: URLSearchParams): { title: string; node: ReactNode } {
  let p: Record<string, string> | null;
  if ((p = match('/blueprints/:id', path))) return { title: `Blueprint ${p.id}`, node: <BlueprintPage key={p.id} id={p.id ?? ''} /> };
  if ((p = match('/deployments/:id', path))) return { title: `Deployment ${p.id}`, node: <DeploymentPage key={p.id} id={p.id ?? ''} /> };
  if ((p = match('/executions/:id', path))) return { title: `Execution ${p.id}`, node: <ExecutionPage key={p.id} id={p.id ?? ''} /> };
  switch (path.replace(/\/+$/, '') || '/') {
    case '/':
      return { title: 'Overview', node: <OverviewPage /> };
    case '/blueprints':
      return { title: 'Blueprints', node: <BlueprintsPage /> };
    case '/deployments':
      return { title: 'Deployments', node: <DeploymentsPage blueprint={query.get('blueprint') ?? ''} /> };
    case '/executions':
      return { title: 'Executions', node: <ExecutionsPage status={query.get('status') ?? ''} /> };
    case '/snapshots':
      return { title: 'Snapshots', node: <SnapshotsPage /> };
    case '/agents':
      return { title: 'Agents', node: <AgentsPage /> };
    default:
      return { title: 'Not found', node: <p>No page at {path}. <Link to="/">Go to the overview</Link>.</p> };
  }
}

export function App() {
  const [loggedIn, setLoggedIn] = useState(() => getToken() !== null);
  const [notice, setNotice] = useState<string>();
  const { path, query } = useLocation();
  useEffect(
    () =>
      onUnauthorized((message) => {
        setNotice(`Your session ended: ${message}. Log in again.`);
        setLoggedIn(false);
      }),
    [],
  );
  const current = loggedIn ? page(path, query) : { title: 'Log in', node: null };
  useEffect(() => {
    document.title = `${current.title} · Rekindle manager`;
  }, [current.title]);
  if (!loggedIn) {
    return (
      <LoginPage
        notice={notice}
        onLoggedIn={() => {
          setNotice(undefined);
          setLoggedIn(true);
        }}
      />
    );
  }
  const section = sections.filter((s) => s.to === '/' ? path === '/' : path.startsWith(s.to)).pop();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span className="brand">Rekindle manager</span>
        <nav aria-label="Main">
          <ul>
            {sections.map((s) => (
              <li key={s.to}>
                <Link to={s.to} {...(section?.to === s.to ? { 'aria-current': 'page' as const } : {})}>
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button
          type="button"
          className="logout"
          onClick={() => {
            clearToken();
            setLoggedIn(false);
            navigate('/');
          }}
        >
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {current.node}
      </main>
    </>
  );
}
