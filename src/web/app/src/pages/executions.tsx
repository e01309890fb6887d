/** Executions: the list (system workflows included) and one execution with its live events. */
import { useState } from 'react';
import { get, request, seg, type Page } from '../api.js';
import { ErrorBox, Json, Link, Pager, activeStatuses } from '../components/common.js';
import { EventStream } from '../components/event-stream.js';
import { useInterval, useLoad, usePaged } from '../hooks.js';

/** An execution record. */
export interface Execution {
  id: string;
  status: string;
  deployment_id: string | null;
  workflow_id: string;
  blueprint_id: string | null;
  created_at: string;
  error: string;
  parameters: Record<string, unknown>;
  is_system_workflow: boolean;
}

export function ExecutionsTable({ items, caption }: { items: readonly Execution[]; caption: string }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Execution</th>
          <th scope="col">Workflow</th>
          <th scope="col">Deployment</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id}>
            <td><Link to={`/executions/${seg(e.id)}`}>{e.id}</Link></td>
            <td>{e.workflow_id}</td>
            <td>{e.deployment_id ? <Link to={`/deployments/${seg(e.deployment_id)}`}>{e.deployment_id}</Link> : '(system)'}</td>
            <td className={`status status-${e.status}`}>{e.status}</td>
            <td>{e.created_at}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const pageSize = 25;

export function ExecutionsPage({ status }: { status: string }) {
  const [filter, setFilter] = useState(status);
  const { page, error, offset, setOffset, reload } = usePaged<Execution>(
    '/executions',
    { include_system_workflows: 'true', _sort: '-created_at', status: filter || undefined },
    pageSize,
  );
  useInterval(reload, 3000, (page?.items ?? []).some((e) => activeStatuses.includes(e.status)));
  return (
    <>
      <h1>Executions</h1>
      <label>
        Status{' '}
        <select value={filter} onChange={(e) => setFilter(e.target.value)}>
          <option value="">any</option>
          {['pending', 'started', 'cancelling', 'force_cancelling', 'terminated', 'failed', 'cancelled'].map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      {page ? (
        <>
          <ExecutionsTable caption="Executions, newest first" items={page.items} />
          <Pager label="Executions" offset={offset} size={pageSize} total={page.metadata.pagination.total} onChange={setOffset} />
        </>
      ) : null}
    </>
  );
}

export function ExecutionPage({ id }: { id: string }) {
  const execution = useLoad((signal) => get<Execution>(`/executions/${seg(id)}`, undefined, signal), [id]);
  const e = execution.data;
  const active = e !== undefined && activeStatuses.includes(e.status);
  useInterval(execution.reload, 1000, active);
  const instances = useLoad(
    (signal) =>
      e?.deployment_id
        ? get<Page<{ id: string }>>('/node-instances', { deployment_id: e.deployment_id, _include: 'id', _size: 1000 }, signal).then((p) => p.items.map((i) => i.id))
        : Promise.resolve([]),
    [e?.deployment_id],
  );
  const [actionError, setActionError] = useState<unknown>();
  const act = async (action: 'cancel' | 'force-cancel') => {
    try {
      await request('POST', `/executions/${seg(id)}`, { json: { action } });
      setActionError(undefined);
      execution.reload();
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <>
      <h1>Execution {id}</h1>
      <ErrorBox error={execution.error} />
      {e ? (
        <>
          <dl className="facts">
            <dt>Workflow</dt>
            <dd>{e.workflow_id}</dd>
            <dt>Deployment</dt>
            <dd>{e.deployment_id ? <Link to={`/deployments/${seg(e.deployment_id)}`}>{e.deployment_id}</Link> : '(system workflow)'}</dd>
            <dt>Status</dt>
            <dd className={`status status-${e.status}`} data-testid="execution-status" aria-live="polite">
              {e.status}
            </dd>
            <dt>Created</dt>
            <dd>{e.created_at}</dd>
            {e.error ? (
              <>
                <dt>Error</dt>
                <dd className="error-text">{e.error}</dd>
              </>
            ) : null}
          </dl>
          <div className="actions">
            <button type="button" disabled={!['pending', 'started'].includes(e.status)} onClick={() => void act('cancel')}>
              Cancel
            </button>
            <button type="button" disabled={!active} onClick={() => void act('force-cancel')}>
              Force-cancel
            </button>
          </div>
          <ErrorBox error={actionError} />
          <details>
            <summary>Parameters</summary>
            <Json label="Execution parameters" value={e.parameters} />
          </details>
          <EventStream executionId={id} active={active} nodeInstances={instances.data ?? []} />
        </>
      ) : null}
    </>
  );
}
