/** Blueprints: upload (one YAML file or an archive), list, delete; a blueprint's topology. */
import { useState, type FormEvent } from 'react';
import { get, request, seg } from '../api.js';
import { ErrorBox, Json, Link, Pager } from '../components/common.js';
import type { Declared } from '../components/inputs-form.js';
import { TopologyGraph, type TopologyNode } from '../components/topology.js';
import { useAction, useLoad, usePaged } from '../hooks.js';
import { navigate } from '../router.js';

/** A blueprint record (`plan` is the manager's summary of the parsed blueprint). */
export interface Blueprint {
  id: string;
  main_file_name: string;
  description: string | null;
  created_at: string;
  plan: {
    inputs?: Record<string, Declared>;
    outputs?: Record<string, { description?: string; value?: unknown }>;
    node_templates?: TopologyNode[];
    workflows?: string[];
    plugins?: string[];
  };
}

const pageSize = 25;

function UploadForm({ onUploaded }: { onUploaded: (id: string) => void }) {
  const [id, setId] = useState('');
  const [file, setFile] = useState<File>();
  const [mainFile, setMainFile] = useState('blueprint.yaml');
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    await run(async () => {
      const single = /\.ya?ml$/i.test(file.name);
      const name = single ? file.name : mainFile;
      await request('PUT', `/blueprints/${seg(id)}`, { body: file, query: { application_file_name: name } });
      onUploaded(id);
    });
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="upload-title">
      <h2 id="upload-title">Upload a blueprint</h2>
      <div className="row">
        <label htmlFor="bp-id">Blueprint id</label>
        <input id="bp-id" value={id} onChange={(e) => setId(e.target.value)} required />
        <label htmlFor="bp-file">Blueprint file (YAML, zip, tar or tar.gz)</label>
        <input
          id="bp-file"
          type="file"
          accept=".yaml,.yml,.zip,.tar,.tgz,.gz"
          required
          onChange={(e) => {
            const f = e.target.files?.[0];
            setFile(f);
            if (f && id === '') setId(f.name.replace(/\.(ya?ml|zip|tar|tgz|tar\.gz)$/i, '').replace(/[^A-Za-z0-9_.-]/g, '-'));
          }}
        />
        <label htmlFor="bp-main">Main file in an archive</label>
        <input id="bp-main" value={mainFile} onChange={(e) => setMainFile(e.target.value)} />
        <button type="submit" disabled={busy || !file}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      <ErrorBox error={error} title="Upload failed" />
    </form>
  );
}

export function BlueprintsPage() {
  const { page, error, offset, setOffset, reload } = usePaged<Blueprint>('/blueprints', { _sort: '-created_at', _include: 'id,description,main_file_name,created_at' }, pageSize);
  const [actionError, setActionError] = useState<unknown>();
  const remove = async (id: string) => {
    if (!window.confirm(`Delete blueprint ${id}?`)) return;
    try {
      await request('DELETE', `/blueprints/${seg(id)}`);
      setActionError(undefined);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <>
      <h1>Blueprints</h1>
      <UploadForm onUploaded={(id) => navigate(`/blueprints/${seg(id)}`)} />
      <ErrorBox error={error ?? actionError} />
      <table>
        <caption>Uploaded blueprints</caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Main file</th>
            <th scope="col">Description</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((b) => (
            <tr key={b.id}>
              <td><Link to={`/blueprints/${seg(b.id)}`}>{b.id}</Link></td>
              <td>{b.main_file_name}</td>
              <td>{b.description ?? ''}</td>
              <td>{b.created_at}</td>
              <td>
                <Link to={`/deployments?blueprint=${seg(b.id)}`}>Deploy</Link>{' '}
                <button type="button" onClick={() => void remove(b.id)} aria-label={`Delete blueprint ${b.id}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page ? <Pager label="Blueprints" offset={offset} size={pageSize} total={page.metadata.pagination.total} onChange={setOffset} /> : null}
    </>
  );
}

export function BlueprintPage({ id }: { id: string }) {
  const { data, error } = useLoad((signal) => get<Blueprint>(`/blueprints/${seg(id)}`, undefined, signal), [id]);
  return (
    <>
      <h1>Blueprint {id}</h1>
      <ErrorBox error={error} />
      {data ? (
        <>
          <p>{data.description ?? ''}</p>
          <p>
            <Link to={`/deployments?blueprint=${seg(id)}`}>Create a deployment from this blueprint</Link>
          </p>
          <h2>Topology</h2>
          <TopologyGraph title={`Blueprint ${id}`} nodes={data.plan.node_templates ?? []} />
          <h2>Inputs</h2>
          <table>
            <caption>Inputs of {id}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Default</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(data.plan.inputs ?? {}).map(([name, input]) => (
                <tr key={name}>
                  <td>{name}</td>
                  <td>{input.type ?? 'any'}</td>
                  <td>{input.default === undefined ? '(required)' : JSON.stringify(input.default)}</td>
                  <td>{input.description ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Outputs</h2>
          <Json label="Outputs" value={data.plan.outputs ?? {}} />
          <h2>Workflows</h2>
          <p>{(data.plan.workflows ?? []).join(', ')}</p>
        </>
      ) : null}
    </>
  );
}
