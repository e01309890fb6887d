/** Deployments: create (inputs form generated from the blueprint's inputs), list, delete. */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, request, seg, type Page } from '../api.js';
import { ErrorBox, Link, Pager } from '../components/common.js';
import { InputsForm, collectValues, initialValues, type FormValues } from '../components/inputs-form.js';
import { useAction, useLoad, usePaged } from '../hooks.js';
import { navigate } from '../router.js';
import type { Blueprint } from './blueprints.js';

/** A deployment record. */
export interface Deployment {
  id: string;
  blueprint_id: string;
  description: string | null;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  workflows: { name: string; parameters: Record<string, { type?: string; default?: unknown; description?: string }> }[];
  created_at: string;
}

const pageSize = 25;

function CreateForm({ initialBlueprint }: { initialBlueprint: string }) {
  const [blueprintId, setBlueprintId] = useState(initialBlueprint);
  const [id, setId] = useState('');
  const [values, setValues] = useState<FormValues>({});
  const { busy, error, run } = useAction();
  const choices = useLoad((signal) => get<Page<{ id: string }>>('/blueprints', { _include: 'id', _sort: '-created_at', _size: 100 }, signal), []);
  const blueprint = useLoad(
    async (signal) => (blueprintId ? get<Blueprint>(`/blueprints/${seg(blueprintId)}`, { _include: 'id,plan' }, signal).catch((e: unknown) => {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }) : undefined),
    [blueprintId],
  );
  const declared = blueprint.data?.plan.inputs ?? {};
  useEffect(() => setValues(initialValues(blueprint.data?.plan.inputs ?? {})), [blueprint.data]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await request('PUT', `/deployments/${seg(id)}`, { json: { blueprint_id: blueprintId, inputs: collectValues(declared, values) } });
      navigate(`/deployments/${seg(id)}`);
    });
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="create-dep-title">
      <h2 id="create-dep-title">Create a deployment</h2>
      <div className="row">
        <label htmlFor="dep-blueprint">Blueprint</label>
        <input id="dep-blueprint" list="dep-blueprints" value={blueprintId} onChange={(e) => setBlueprintId(e.target.value)} required />
        <datalist id="dep-blueprints">
          {choices.data?.items.map((b) => <option key={b.id} value={b.id} />)}
        </datalist>
        <label htmlFor="dep-id">Deployment id</label>
        <input id="dep-id" value={id} onChange={(e) => setId(e.target.value)} required />
      </div>
      {blueprint.data ? <InputsForm legend="Inputs" declared={declared} values={values} onChange={setValues} /> : blueprintId ? <p className="muted">No blueprint {blueprintId}.</p> : null}
      <button type="submit" disabled={busy || !blueprint.data}>
        {busy ? 'Creating…' : 'Create deployment'}
      </button>
      <ErrorBox error={error ?? blueprint.error} title="Could not create the deployment" />
    </form>
  );
}

export function DeploymentsPage({ blueprint }: { blueprint: string }) {
  const { page, error, offset, setOffset } = usePaged<Deployment>(
    '/deployments',
    { _sort: '-created_at', _include: 'id,blueprint_id,created_at', blueprint_id: blueprint || undefined },
    pageSize,
  );
  return (
    <>
      <h1>Deployments</h1>
      <CreateForm initialBlueprint={blueprint} />
      <ErrorBox error={error} />
      <table>
        <caption>{blueprint ? `Deployments of blueprint ${blueprint}` : 'All deployments'}</caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Blueprint</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((d) => (
            <tr key={d.id}>
              <td><Link to={`/deployments/${seg(d.id)}`}>{d.id}</Link></td>
              <td><Link to={`/blueprints/${seg(d.blueprint_id)}`}>{d.blueprint_id}</Link></td>
              <td>{d.created_at}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page ? <Pager label="Deployments" offset={offset} size={pageSize} total={page.metadata.pagination.total} onChange={setOffset} /> : null}
    </>
  );
}
