/** Small shared pieces: links, error boxes, pager, time and size formatting. */
import type { MouseEvent, ReactNode } from 'react';
import { ApiError } from '../api.js';
import { navigate } from '../router.js';

/** An in-app link (a real `<a href>`, so it works with the keyboard and middle-click). */
export function Link(props: { to: string; children: ReactNode; className?: string; 'aria-current'?: 'page' }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.to);
  };
  return (
    <a href={props.to} onClick={onClick} className={props.className} aria-current={props['aria-current']}>
      {props.children}
    </a>
  );
}

/** Shows an error: the REST message and code, DSL diagnostics with their line numbers, hints. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  const api = error instanceof ApiError ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const diagnostics = api?.diagnostics ?? [];
  return (
    <div role="alert" className="error">
      <strong>{title ?? 'Error'}</strong>
      {api ? <span className="code"> ({api.code})</span> : null}
      <p className="message">{diagnostics.length > 0 ? message.split('\n')[0] : message}</p>
      {diagnostics.length > 0 ? (
        <ul className="diagnostics" aria-label="Diagnostics">
          {diagnostics.map((d, i) => (
            <li key={i}>
              <span className="where">
                {d.file ?? ''}
                {d.line !== undefined ? `:${d.line}` : ''}
                {d.column !== undefined ? `:${d.column}` : ''}
              </span>{' '}
              {d.line !== undefined ? <span className="line-no">line {d.line}</span> : null} {d.message}
              {d.path ? <span className="path"> ({d.path})</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {api && api.hints.length > 0 ? (
        <ul className="hints">
          {api.hints.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Previous / next over a server-side paginated list. */
export function Pager(props: { label: string; offset: number; size: number; total: number; onChange: (offset: number) => void }) {
  const { offset, size, total } = props;
  const last = Math.min(offset + size, total);
  return (
    <nav className="pager" aria-label={`${props.label} pages`}>
      <button type="button" disabled={offset === 0} onClick={() => props.onChange(Math.max(0, offset - size))}>
        Previous
      </button>
      <span>
        {total === 0 ? 'none' : `${offset + 1}–${last} of ${total}`}
      </span>
      <button type="button" disabled={last >= total} onClick={() => props.onChange(offset + size)}>
        Next
      </button>
    </nav>
  );
}

/** "3 minutes ago" from an ISO time. */
export function age(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** JSON shown in a `<pre>`. */
export function Json({ value, label }: { value: unknown; label?: string }) {
  return (
    <pre className="json" aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

export const activeStatuses = ['pending', 'started', 'cancelling', 'force_cancelling'];
