/**
 * The CLI's one-line rendering of event and log documents (Cloudify 3.3 `cloudify/event.py`,
 * spec §1.11):
 *
 * `<timestamp> <CFY|LOG> <<deployment_id>> [<operation info>] <message>`
 */
import type { EventDocument } from '../core/index.js';

/**
 * Formats one document as a line, e.g.
 * `2015-02-17 16:22:12 CFY <manager> [manager_server_1eed2->manager_port_ceb8e|unlink] Sending task 'neutron_plugin.port.detach' [attempt 2/6]`.
 * - timestamp: `@timestamp` if present, else `timestamp`, cut at the first `.`;
 * - `LOG` for `cloudify_log` documents, `CFY` otherwise;
 * - `<None>` when the deployment id is null or missing;
 * - operation info omitted (with its space) when empty;
 * - logs print `LEVEL: text`.
 */
export function formatEventLine(doc: EventDocument): string {
  const stamp = doc['@timestamp'] ?? doc.timestamp;
  const dot = stamp.indexOf('.');
  const timestamp = dot === -1 ? stamp : stamp.slice(0, dot);
  const isLog = doc.type.includes('cloudify_log');
  const deployment = doc.context.deployment_id ?? 'None';
  const info = operationInfo(doc);
  const text = doc.type === 'cloudify_log' ? `${doc.level.toUpperCase()}: ${doc.message.text}` : doc.message.text;
  return `${timestamp} ${isLog ? 'LOG' : 'CFY'} <${deployment}> ${info === '' ? '' : `${info} `}${text}`;
}

/** The `--json` form: one JSON document per line. */
export function formatEventJson(doc: EventDocument): string {
  return JSON.stringify(doc);
}

/**
 * `[source->target|op]` for relationship operations, else `[a.b.c]` joining the non-null
 * node instance id, op, group, policy and trigger; '' when there is nothing to show.
 * `op` is the last dotted segment of `context.operation`.
 */
export function operationInfo(doc: EventDocument): string {
  const c = doc.context;
  const op = shortOperation(c.operation);
  if (c.source_id !== undefined && c.source_id !== null) {
    return `[${c.source_id}->${c.target_id ?? 'None'}|${op ?? 'None'}]`;
  }
  const parts: string[] = [];
  for (const part of [c.node_id, op, c.group, c.policy, c.trigger]) {
    if (part !== undefined && part !== null) parts.push(part);
  }
  return parts.length === 0 ? '' : `[${parts.join('.')}]`;
}

function shortOperation(operation: string | null | undefined): string | null {
  if (operation === undefined || operation === null) return null;
  const dot = operation.lastIndexOf('.');
  return dot === -1 ? operation : operation.slice(dot + 1);
}
