/** Agents: each host's agent, its state and when it was last seen. */
import { ApiError, seg } from '../api.js';
import { ErrorBox, Link, Pager, age } from '../components/common.js';
import { useInterval, usePaged } from '../hooks.js';

interface Agent {
  name: string;
  deployment_id: string;
  host_id: string;
  state: string;
  version: string | null;
  last_seen: string | null;
  running: number;
}

const pageSize = 50;

export function AgentsPage() {
  const { page, error, offset, setOffset, reload } = usePaged<Agent>('/agents', {}, pageSize);
  useInterval(reload, 5000, true);
  return (
    <>
      <h1>Agents</h1>
      {error instanceof ApiError && error.status === 404 ? (
        <p role="status">Agents are not enabled on this manager (it was started without a message broker).</p>
      ) : (
        <ErrorBox error={error} />
      )}
      <table>
        <caption>Agents on managed hosts</caption>
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Deployment</th>
            <th scope="col">Host instance</th>
            <th scope="col">State</th>
            <th scope="col">Last seen</th>
            <th scope="col">Version</th>
            <th scope="col">Running tasks</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((a) => (
            <tr key={a.name}>
              <td>{a.name}</td>
              <td><Link to={`/deployments/${seg(a.deployment_id)}`}>{a.deployment_id}</Link></td>
              <td>{a.host_id}</td>
              <td className={`state state-${a.state}`}>{a.state}</td>
              <td title={a.last_seen ?? ''}>{age(a.last_seen)}</td>
              <td>{a.version ?? ''}</td>
              <td>{a.running}</td>
            </tr>
          ))}
          {page && page.items.length === 0 ? (
            <tr>
              <td colSpan={7}>No agents: agents appear when a deployment installs one on its hosts.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {page ? <Pager label="Agents" offset={offset} size={pageSize} total={page.metadata.pagination.total} onChange={setOffset} /> : null}
    </>
  );
}
