/** One deployment: outputs, topology, node instances with state and runtime properties, workflows, executions. */
import { useEffect, useState, type FormEvent } from 'react';
import { get, request, seg, type Page } from '../api.js';
import { ErrorBox, Json, Link, Pager, activeStatuses } from '../components/common.js';
import { InputsForm, collectValues, initialValues, type FormValues } from '../components/inputs-form.js';
import { TopologyGraph, type TopologyNode } from '../components/topology.js';
import { useAction, useInterval, useLoad, usePaged } from '../hooks.js';
import { navigate } from '../router.js';
import type { Deployment } from './deployments.js';
import { ExecutionsTable, type Execution } from './executions.js';

interface NodeInstance {
  id: string;
  node_id: string;
  host_id: string | null;
  state: string;
  runtime_properties: Record<string, unknown>;
  version: number;
}

function StartWorkflow({ deployment }: { deployment: Deployment }) {
  const [workflow, setWorkflow] = useState(deployment.workflows.find((w) => w.name === 'install') ? 'install' : (deployment.workflows[0]?.name ?? ''));
  const declared = deployment.workflows.find((w) => w.name === workflow)?.parameters ?? {};
  const [values, setValues] = useState<FormValues>({});
  const [force, setForce] = useState(false);
  const { error, run } = useAction();
  useEffect(() => setValues(initialValues(deployment.workflows.find((w) => w.name === workflow)?.parameters ?? {})), [workflow, deployment]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const execution = await request<Execution>('POST', '/executions', {
        json: { deployment_id: deployment.id, workflow_id: workflow, parameters: collectValues(declared, values), force },
      });
      navigate(`/executions/${seg(execution.id)}`);
    });
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="start-title">
      <h2 id="start-title">Start a workflow</h2>
      <div className="row">
        <label htmlFor="wf-select">Workflow</label>
        <select id="wf-select" value={workflow} onChange={(e) => setWorkflow(e.target.value)}>
          {deployment.workflows.map((w) => (
            <option key={w.name} value={w.name}>
              {w.name}
            </option>
          ))}
        </select>
        <label htmlFor="wf-force">
          <input id="wf-force" type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> force (even with an active execution)
        </label>
      </div>
      <InputsForm legend="Parameters" declared={declared} values={values} onChange={setValues} />
      <button type="submit" disabled={!workflow}>
        Start {workflow}
      </button>
      <ErrorBox error={error} title="Could not start the workflow" />
    </form>
  );
}

const instancePage = 50;

export function DeploymentPage({ id }: { id: string }) {
  const deployment = useLoad((signal) => get<Deployment>(`/deployments/${seg(id)}`, undefined, signal), [id]);
  const outputs = useLoad((signal) => get<{ outputs: Record<string, unknown> }>(`/deployments/${seg(id)}/outputs`, undefined, signal), [id]);
  const nodes = useLoad((signal) => get<Page<TopologyNode & { type: string }>>('/nodes', { deployment_id: id, _size: 1000, _include: 'id,type,relationships' }, signal), [id]);
  const instances = usePaged<NodeInstance>('/node-instances', { deployment_id: id, _sort: 'id' }, instancePage);
  const executions = usePaged<Execution>('/executions', { deployment_id: id, _sort: '-created_at' }, 10);
  const active = (executions.page?.items ?? []).some((e) => activeStatuses.includes(e.status));
  useInterval(
    () => {
      instances.reload();
      executions.reload();
      outputs.reload();
    },
    2000,
    active,
  );
  const [deleteError, setDeleteError] = useState<unknown>();
  const remove = async () => {
    if (!window.confirm(`Delete deployment ${id}? Its nodes, node instances and executions are deleted.`)) return;
    try {
      await request('DELETE', `/deployments/${seg(id)}`);
      navigate('/deployments');
    } catch (err) {
      setDeleteError(err);
    }
  };
  const d = deployment.data;
  return (
    <>
      <h1>Deployment {id}</h1>
      <ErrorBox error={deployment.error} />
      {d ? (
        <>
          <p>
            Blueprint <Link to={`/blueprints/${seg(d.blueprint_id)}`}>{d.blueprint_id}</Link>, created {d.created_at}.{' '}
            <button type="button" onClick={() => void remove()}>
              Delete deployment
            </button>
          </p>
          <ErrorBox error={deleteError} title="Could not delete" />
          <StartWorkflow deployment={d} />
          <h2>Executions</h2>
          <ErrorBox error={executions.error} />
          {executions.page ? (
            <>
              <ExecutionsTable caption={`Executions of ${id}`} items={executions.page.items} />
              <Pager label="Executions" offset={executions.offset} size={10} total={executions.page.metadata.pagination.total} onChange={executions.setOffset} />
            </>
          ) : null}
          <div className="cards">
            <section className="card">
              <h2>Inputs</h2>
              <Json label="Deployment inputs" value={d.inputs} />
            </section>
            <section className="card">
              <h2>Outputs</h2>
              <ErrorBox error={outputs.error} />
              <Json label="Deployment outputs" value={outputs.data?.outputs ?? {}} />
            </section>
          </div>
          <h2>Topology</h2>
          <ErrorBox error={nodes.error} />
          {nodes.data ? <TopologyGraph title={`Deployment ${id}`} nodes={nodes.data.items} /> : null}
          <h2>Node instances</h2>
          <ErrorBox error={instances.error} />
          <table>
            <caption>Node instances of {id}</caption>
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Node</th>
                <th scope="col">Host</th>
                <th scope="col">State</th>
                <th scope="col">Runtime properties</th>
              </tr>
            </thead>
            <tbody>
              {instances.page?.items.map((ni) => (
                <tr key={ni.id}>
                  <td>{ni.id}</td>
                  <td>{ni.node_id}</td>
                  <td>{ni.host_id ?? ''}</td>
                  <td className={`state state-${ni.state}`} data-testid={`state-${ni.id}`}>
                    {ni.state}
                  </td>
                  <td>
                    <Json label={`Runtime properties of ${ni.id}`} value={ni.runtime_properties} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {instances.page ? (
            <Pager label="Node instances" offset={instances.offset} size={instancePage} total={instances.page.metadata.pagination.total} onChange={instances.setOffset} />
          ) : null}
        </>
      ) : null}
    </>
  );
}
