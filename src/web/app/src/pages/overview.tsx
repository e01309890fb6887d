/** The overview: services and their state, version, counts, the latest snapshot's age. */
import { get, type Page } from '../api.js';
import { ErrorBox, Link, age } from '../components/common.js';
import { useInterval, useLoad } from '../hooks.js';

/** How many of each resource the manager holds (also shown before a restore). */
export interface Counts {
  blueprints: number;
  deployments: number;
  executions: number;
  nodeInstances: number;
  events: number;
  snapshots: number;
  agents: number;
}

const total = async (path: string, query: Record<string, string> = {}, signal?: AbortSignal): Promise<number> =>
  (await get<Page<unknown>>(path, { ...query, _size: 1 }, signal)).metadata.pagination.total;

/** Reads the counts (one `_size=1` list call each). */
export async function loadCounts(signal?: AbortSignal): Promise<Counts> {
  const [blueprints, deployments, executions, nodeInstances, events, snapshots, agents] = await Promise.all([
    total('/blueprints', {}, signal),
    total('/deployments', {}, signal),
    total('/executions', { include_system_workflows: 'true' }, signal),
    total('/node-instances', {}, signal),
    total('/events', {}, signal),
    total('/snapshots', {}, signal),
    total('/agents', {}, signal).catch(() => 0),
  ]);
  return { blueprints, deployments, executions, nodeInstances, events, snapshots, agents };
}

interface Status {
  status: string;
  services: { display_name: string; instances: { state: string }[] }[];
}
interface Version {
  version: string;
  build: string;
  commit?: string;
}
interface Snapshot {
  id: string;
  created_at: string;
  status: string;
}

export function OverviewPage() {
  const { data, error, reload } = useLoad(
    async (signal) => {
      const [status, version, counts, latest] = await Promise.all([
        get<Status>('/status', undefined, signal),
        get<Version>('/version', undefined, signal),
        loadCounts(signal),
        get<Page<Snapshot>>('/snapshots', { _sort: '-created_at', _size: 1 }, signal),
      ]);
      return { status, version, counts, latest: latest.items[0] };
    },
    [],
  );
  useInterval(reload, 10_000, true);
  return (
    <>
      <h1>Overview</h1>
      <ErrorBox error={error} />
      {data ? (
        <div className="cards">
          <section className="card" aria-labelledby="services-title">
            <h2 id="services-title">Services</h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {data.status.services.map((s) => (
                  <tr key={s.display_name}>
                    <td>{s.display_name}</td>
                    <td className={`state state-${s.instances[0]?.state ?? 'unknown'}`}>{s.instances[0]?.state ?? 'unknown'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="card" aria-labelledby="version-title">
            <h2 id="version-title">Version</h2>
            <p data-testid="version">
              Rekindle {data.version.version} ({data.version.build}
              {data.version.commit ? `, ${data.version.commit}` : ''})
            </p>
            <h2>Latest snapshot</h2>
            <p data-testid="latest-snapshot">
              {data.latest ? (
                <>
                  {data.latest.id} ({data.latest.status}), created {age(data.latest.created_at)}
                </>
              ) : (
                'none yet'
              )}
            </p>
          </section>
          <section className="card" aria-labelledby="counts-title">
            <h2 id="counts-title">Counts</h2>
            <dl className="counts">
              <dt><Link to="/blueprints">Blueprints</Link></dt>
              <dd data-testid="count-blueprints">{data.counts.blueprints}</dd>
              <dt><Link to="/deployments">Deployments</Link></dt>
              <dd data-testid="count-deployments">{data.counts.deployments}</dd>
              <dt>Node instances</dt>
              <dd>{data.counts.nodeInstances}</dd>
              <dt><Link to="/executions">Executions</Link></dt>
              <dd>{data.counts.executions}</dd>
              <dt>Events</dt>
              <dd>{data.counts.events}</dd>
              <dt><Link to="/snapshots">Snapshots</Link></dt>
              <dd>{data.counts.snapshots}</dd>
              <dt><Link to="/agents">Agents</Link></dt>
              <dd>{data.counts.agents}</dd>
            </dl>
          </section>
        </div>
      ) : error ? null : (
        <p>Loading…</p>
      )}
    </>
  );
}
