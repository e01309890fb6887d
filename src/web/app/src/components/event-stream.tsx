/**
 * The live event stream of an execution. First load: the newest {@link firstLoad} events
 * (`_sort=-_seq`); then it follows with the sequence cursor, `GET /events?_after_seq=<last_seq>`
 * (every second while the execution is active, at once while pages come back full), which costs
 * one index range per poll however long the stream is. Lines are in the Cloudify 3.3 format; at
 * most {@link keepLines} stay in the DOM.
 */
import { useEffect, useRef, useState } from 'react';
import type { EventDocument } from '../../../../core/events.js';
import { formatEventLine } from '../../../../engine/event-format.js';
import { get, type Page } from '../api.js';
import { ErrorBox } from './common.js';

/** Lines kept in the DOM. */
export const keepLines = 2000;
/** Events shown when the stream opens (the newest ones). */
export const firstLoad = 1000;
const pageSize = 500;

/** A page of `GET /events` with the Rekindle cursor `metadata.last_seq`. */
interface EventPage extends Page<EventDocument> {
  metadata: Page<EventDocument>['metadata'] & { last_seq: number | null };
}

interface Line {
  key: number;
  text: string;
  level: string;
}

/**
 * One line. `@timestamp` is ISO (`2026-11-26T13:57:43.120Z`); Cloudify 3.3 printed
 * `2026-11-26 13:57:43`, so the `T` becomes a space before the engine's formatter cuts the fraction.
 */
function lineOf(doc: EventDocument, key: number): Line {
  let text: string;
  try {
    const stamp = doc['@timestamp'] ?? doc.timestamp;
    text = formatEventLine({ ...doc, '@timestamp': stamp.replace(/^(\d{4}-\d\d-\d\d)T/, '$1 ') });
  } catch {
    text = JSON.stringify(doc);
  }
  return { key, text, level: doc.type === 'cloudify_log' ? doc.level : 'event' };
}

export function EventStream(props: { executionId: string; active: boolean; nodeInstances: readonly string[] }) {
  const [level, setLevel] = useState('');
  const [nodeInstance, setNodeInstance] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>();
  const [following, setFollowing] = useState(true);
  const activeRef = useRef(props.active);
  activeRef.current = props.active;
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const controller = new AbortController();
    const query = { execution_id: props.executionId, level: level || undefined, node_instance_id: nodeInstance || undefined };
    let cursor: number | null = null; // metadata.last_seq of the last read; null before the first load
    let count = 0;
    let key = 0;
    let buffer: Line[] = [];
    let settle = 3; // polls after the execution ended: its last events are flushed in a batch
    let timer: ReturnType<typeof setTimeout> | undefined;
    setLines([]);
    setTotal(0);
    setFollowing(true);
    const show = (docs: readonly EventDocument[]): void => {
      if (docs.length === 0) return;
      buffer = buffer.concat(docs.map((doc) => lineOf(doc, key++)));
      if (buffer.length > keepLines) buffer = buffer.slice(buffer.length - keepLines);
      setLines(buffer);
    };
    const step = async (): Promise<void> => {
      try {
        let full: boolean;
        if (cursor === null) {
          // First load: the newest events (one page, newest first), whatever the stream's length.
          const page = await get<EventPage>('/events', { ...query, _sort: '-_seq', _size: firstLoad }, controller.signal);
          if (controller.signal.aborted) return;
          cursor = page.metadata.last_seq ?? 0;
          count = page.metadata.pagination.total;
          show([...page.items].reverse());
          full = false;
        } else {
          // Then follow: what came after the cursor, O(page) at any depth.
          const page = await get<EventPage>('/events', { ...query, _after_seq: cursor, _size: pageSize }, controller.signal);
          if (controller.signal.aborted) return;
          cursor = page.metadata.last_seq ?? cursor;
          count += page.items.length;
          show(page.items);
          full = page.items.length === pageSize;
        }
        setTotal(count);
        setError(undefined);
        if (full) timer = setTimeout(() => void step(), 0);
        else if (activeRef.current) timer = setTimeout(() => void step(), 1000);
        else if (settle-- > 0) timer = setTimeout(() => void step(), 500);
        else setFollowing(false);
      } catch (err) {
        if (controller.signal.aborted) return;
        setError(err);
        timer = setTimeout(() => void step(), 2000);
      }
    };
    void step();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [props.executionId, level, nodeInstance]);

  /** Clears the view in the same render as a filter change (no stale lines under a new filter). */
  const refilter = (apply: () => void) => {
    apply();
    setLines([]);
    setTotal(0);
    setFollowing(true);
  };

  useEffect(() => {
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);

  return (
    <section aria-labelledby="events-title" className="events">
      <h2 id="events-title">Events</h2>
      <div className="filters">
        <label>
          Level{' '}
          <select value={level} onChange={(e) => refilter(() => setLevel(e.target.value))}>
            <option value="">all events and logs</option>
            <option value="debug">debug logs</option>
            <option value="info">info logs</option>
            <option value="warning">warning logs</option>
            <option value="error">error logs</option>
          </select>
        </label>
        <label>
          Node instance{' '}
          <select value={nodeInstance} onChange={(e) => refilter(() => setNodeInstance(e.target.value))}>
            <option value="">all</option>
            {props.nodeInstances.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <span className="stream-state" aria-live="polite">
          {following ? 'following' : 'complete'} · {total} event(s)
          {total > lines.length ? ` · showing the last ${lines.length}` : ''}
        </span>
      </div>
      <ErrorBox error={error} title="Could not read events" />
      <div
        ref={box}
        className="event-lines"
        role="log"
        aria-label="Event lines"
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 20;
        }}
      >
        {lines.map((l) => (
          <div key={l.key} className={`line level-${l.level}`}>
            {l.text}
          </div>
        ))}
      </div>
    </section>
  );
}
