/**
 * Snapshots: create, list (status, size), download, upload, verify, delete, restore. Verify runs
 * the manager's offline archive check (`POST /snapshots/{id}/verify`) and shows its result. The restore
 * confirmation says what the manager holds now; a restore into a non-empty manager without force
 * fails with `snapshot_dirty_manager_error`, which the page shows with "Restore with force".
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, download, request, seg } from '../api.js';
import { ErrorBox, Pager, activeStatuses, age, bytes } from '../components/common.js';
import { useAction, useInterval, useLoad, usePaged } from '../hooks.js';
import { navigate } from '../router.js';
import { loadCounts } from './overview.js';
import type { Execution } from './executions.js';

interface Snapshot {
  id: string;
  created_at: string;
  status: string;
  error: string | null;
  size: number | null;
  encrypted: boolean;
}

const pageSize = 25;

/** `POST /snapshots/{id}/verify` (Rekindle extension). */
type VerifyResult =
  | { id: string; ok: true; checked_entries: number; contents_authenticated: boolean; encrypted: boolean; counts: Record<string, number> }
  | { id: string; ok: false; error_code: string; message: string; entry: string | null };

function VerifyPanel({ result, onClose }: { result: VerifyResult; onClose: () => void }) {
  const counts = result.ok
    ? Object.entries(result.counts)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([table, n]) => `${table} ${n}`)
        .join(', ')
    : '';
  return (
    <section className={`panel verify ${result.ok ? 'verify-ok' : 'verify-failed'}`} aria-labelledby="verify-title" data-testid="verify-result">
      <h2 id="verify-title">Verify {result.id}</h2>
      {result.ok ? (
        <p>
          Intact: {result.checked_entries} entries checked
          {result.encrypted && !result.contents_authenticated ? ' (hashes only: encrypted contents not decrypted)' : ''}. Rows: {counts || 'none'}.
        </p>
      ) : (
        <p role="alert">
          Damaged: {result.error_code}: {result.message}
          {result.entry ? ` (entry ${result.entry})` : ''}
        </p>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}

function CreateForm({ onDone }: { onDone: () => void }) {
  const [id, setId] = useState(() => `snapshot-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}`);
  const [passphrase, setPassphrase] = useState('');
  const { error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await request<Execution>('PUT', `/snapshots/${seg(id)}`, { json: passphrase ? { passphrase } : {} });
      onDone();
    });
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="snap-create-title">
      <h2 id="snap-create-title">Create a snapshot</h2>
      <div className="row">
        <label htmlFor="snap-id">Snapshot id</label>
        <input id="snap-id" value={id} onChange={(e) => setId(e.target.value)} required />
        <label htmlFor="snap-pass">Passphrase (optional, encrypts the archive)</label>
        <input id="snap-pass" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        <button type="submit">Create snapshot</button>
      </div>
      <ErrorBox error={error} title="Could not create the snapshot" />
    </form>
  );
}

function UploadForm({ onDone }: { onDone: () => void }) {
  const [id, setId] = useState('');
  const [file, setFile] = useState<File>();
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    await run(async () => {
      await request('PUT', `/snapshots/${seg(id)}/archive`, { body: file });
      onDone();
    });
  };
  return (
    <form className="panel" onSubmit={(e) => void submit(e)} aria-labelledby="snap-upload-title">
      <h2 id="snap-upload-title">Upload a snapshot archive</h2>
      <div className="row">
        <label htmlFor="snap-up-id">Snapshot id</label>
        <input id="snap-up-id" value={id} onChange={(e) => setId(e.target.value)} required />
        <label htmlFor="snap-up-file">Archive (.zip)</label>
        <input id="snap-up-file" type="file" accept=".zip" required onChange={(e) => setFile(e.target.files?.[0])} />
        <button type="submit" disabled={busy || !file}>
          {busy ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      <ErrorBox error={error} title="Upload failed" />
    </form>
  );
}

function RestoreDialog({ snapshot, onClose }: { snapshot: Snapshot; onClose: () => void }) {
  const counts = useLoad((signal) => loadCounts(signal), []);
  const [force, setForce] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const { busy, error, run } = useAction();
  const restore = async (withForce: boolean) => {
    await run(async () => {
      const execution = await request<Execution>('POST', `/snapshots/${seg(snapshot.id)}/restore`, {
        json: { force: withForce, ...(passphrase ? { passphrase } : {}) },
      });
      navigate(`/executions/${seg(execution.id)}`);
    });
  };
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  const c = counts.data;
  const dirty = error instanceof ApiError && error.code === 'snapshot_dirty_manager_error';
  return (
    <div className="dialog" role="dialog" aria-labelledby="restore-title" tabIndex={-1} ref={box}>
      <h2 id="restore-title">Restore snapshot {snapshot.id}?</h2>
      <p data-testid="restore-summary">
        {c
          ? `This manager holds ${c.blueprints} blueprint(s), ${c.deployments} deployment(s), ${c.executions} execution(s) and ${c.events} event(s). ` +
            (c.blueprints + c.deployments === 0
              ? 'It is empty: the snapshot’s blueprints, deployments, executions, events, agents and credentials become its state.'
              : 'Without force the restore is refused; with force the snapshot’s blueprints, deployments, executions and events are added to them and any id present in both fails the restore.')
          : 'Reading what this manager holds…'}
      </p>
      <label htmlFor="restore-force">
        <input id="restore-force" type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> force (restore into a manager that is not empty)
      </label>
      {snapshot.encrypted ? (
        <>
          <label htmlFor="restore-pass">Passphrase</label>
          <input id="restore-pass" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
        </>
      ) : null}
      <ErrorBox error={error} title="Restore refused" />
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void restore(force)}>
          Restore
        </button>
        {dirty ? (
          <button type="button" className="danger" disabled={busy} onClick={() => void restore(true)}>
            Restore with force
          </button>
        ) : null}
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

export function SnapshotsPage() {
  const { page, error, offset, setOffset, reload } = usePaged<Snapshot>('/snapshots', { _sort: '-created_at' }, pageSize);
  const [restoring, setRestoring] = useState<Snapshot>();
  const [actionError, setActionError] = useState<unknown>();
  const [verified, setVerified] = useState<VerifyResult>();
  const [verifying, setVerifying] = useState<string>();
  const verify = async (id: string) => {
    setVerifying(id);
    setVerified(undefined);
    await act(async () => setVerified(await request<VerifyResult>('POST', `/snapshots/${seg(id)}/verify`, { json: {} })));
    setVerifying(undefined);
  };
  useInterval(reload, 1000, (page?.items ?? []).some((s) => s.status === 'creating' || activeStatuses.includes(s.status)));
  const act = async (what: () => Promise<unknown>) => {
    try {
      await what();
      setActionError(undefined);
      reload();
    } catch (err) {
      setActionError(err);
    }
  };
  return (
    <>
      <h1>Snapshots</h1>
      <div className="cards">
        <CreateForm onDone={reload} />
        <UploadForm onDone={reload} />
      </div>
      <ErrorBox error={error ?? actionError} />
      {verified ? <VerifyPanel result={verified} onClose={() => setVerified(undefined)} /> : null}
      {restoring ? <RestoreDialog snapshot={restoring} onClose={() => setRestoring(undefined)} /> : null}
      <table>
        <caption>Snapshots, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Id</th>
            <th scope="col">Status</th>
            <th scope="col">Size</th>
            <th scope="col">Created</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {page?.items.map((s) => (
            <tr key={s.id} data-snapshot={s.id}>
              <td>{s.id}{s.encrypted ? ' (encrypted)' : ''}</td>
              <td className={`status status-${s.status}`}>
                {s.status}
                {s.error ? `: ${s.error}` : ''}
              </td>
              <td>{bytes(s.size)}</td>
              <td title={s.created_at}>{age(s.created_at)}</td>
              <td className="actions">
                <button type="button" disabled={s.status === 'creating' || s.status === 'failed'} onClick={() => void act(() => download(`/snapshots/${seg(s.id)}/archive`, `${s.id}.zip`))}>
                  Download<span className="sr-only"> {s.id}</span>
                </button>
                <button type="button" disabled={s.status === 'creating' || s.status === 'failed' || verifying !== undefined} onClick={() => void verify(s.id)}>
                  {verifying === s.id ? 'Verifying…' : 'Verify'}<span className="sr-only"> {s.id}</span>
                </button>
                <button type="button" disabled={s.status === 'creating' || s.status === 'failed'} onClick={() => setRestoring(s)}>
                  Restore<span className="sr-only"> {s.id}</span>
                </button>
                <button
                  type="button"
                  onClick={() => {
                    if (window.confirm(`Delete snapshot ${s.id}?`)) void act(() => request('DELETE', `/snapshots/${seg(s.id)}`));
                  }}
                >
                  Delete<span className="sr-only"> {s.id}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {page ? <Pager label="Snapshots" offset={offset} size={pageSize} total={page.metadata.pagination.total} onChange={setOffset} /> : null}
    </>
  );
}
