/**
 * The topology graph: node templates as boxes in layers (a node sits one layer below the
 * deepest node it has a relationship to), contained_in edges solid, other relationships
 * (connected_to, depends_on) dashed.
 */

/** A node and its relationships, from a blueprint's plan or from `GET /nodes`. */
export interface TopologyNode {
  id: string;
  type: string;
  contained_in?: string | null;
  relationships?: { type: string; target?: string; target_id?: string; targetId?: string; type_hierarchy?: string[]; typeHierarchy?: string[] }[];
}

interface Edge {
  from: string;
  to: string;
  contained: boolean;
  type: string;
}

const boxW = 170;
const boxH = 46;
const gapX = 30;
const gapY = 60;

/** Layers (0 = nodes with no relationship target) and the edges. */
export function layout(nodes: readonly TopologyNode[]): { layers: string[][]; edges: Edge[] } {
  const ids = new Set(nodes.map((n) => n.id));
  const edges: Edge[] = [];
  for (const n of nodes) {
    for (const r of n.relationships ?? []) {
      const to = r.target ?? r.target_id ?? r.targetId;
      if (to === undefined || !ids.has(to)) continue;
      const contained = r.type.includes('contained_in') || (r.type_hierarchy ?? r.typeHierarchy ?? []).some((t) => t.includes('contained_in')) || n.contained_in === to;
      edges.push({ from: n.id, to, contained, type: r.type });
    }
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: the DSL rejects these, stay safe anyway
    visiting.add(id);
    const targets = edges.filter((e) => e.from === id).map((e) => depthOf(e.to) + 1);
    const d = Math.max(0, ...targets);
    visiting.delete(id);
    depth.set(id, d);
    return d;
  };
  const layers: string[][] = [];
  for (const n of nodes) {
    const d = depthOf(n.id);
    (layers[d] ??= []).push(n.id);
  }
  return { layers: layers.map((l) => l ?? []), edges };
}

/** A straight edge between adjacent layers; one skipping layers bends to the right around them. */
function edgePath(a: { x: number; y: number }, b: { x: number; y: number }): string {
  const x1 = a.x + boxW / 2;
  const x2 = b.x + boxW / 2;
  const y1 = a.y;
  const y2 = b.y + boxH;
  const skipped = Math.round((a.y - b.y) / (boxH + gapY)) - 1;
  if (skipped <= 0) return `M ${x1} ${y1} L ${x2} ${y2}`;
  const bend = Math.max(x1, x2) + boxW / 2 + 20 * skipped;
  return `M ${x1 + boxW / 4} ${y1} C ${bend} ${y1 - 20}, ${bend} ${y2 + 20}, ${x2 + boxW / 4} ${y2}`;
}

/** The SVG graph. */
export function TopologyGraph({ nodes, title }: { nodes: readonly TopologyNode[]; title: string }) {
  const { layers, edges } = layout(nodes);
  const types = new Map(nodes.map((n) => [n.id, n.type]));
  const widest = Math.max(1, ...layers.map((l) => l.length));
  const width = widest * (boxW + gapX) + gapX + boxW / 2 + 20 * Math.max(0, layers.length - 2);
  const height = layers.length * (boxH + gapY) + gapY / 2;
  const pos = new Map<string, { x: number; y: number }>();
  layers.forEach((layer, li) => {
    const offset = (width - layer.length * (boxW + gapX) + gapX) / 2;
    layer.forEach((id, i) => pos.set(id, { x: offset + i * (boxW + gapX), y: gapY / 2 + li * (boxH + gapY) }));
  });
  const summary = `${title}: ${nodes.length} node(s), ${edges.length} relationship(s)`;
  return (
    <figure className="topology">
      <svg role="img" aria-label={summary} width={width} height={Math.max(height, boxH + gapY)} viewBox={`0 0 ${width} ${Math.max(height, boxH + gapY)}`}>
        <title>{summary}</title>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#555" />
          </marker>
        </defs>
        {edges.map((e, i) => {
          const a = pos.get(e.from);
          const b = pos.get(e.to);
          if (!a || !b) return null;
          return (
            <path
              key={i}
              className={e.contained ? 'edge contained' : 'edge connected'}
              d={edgePath(a, b)}
              fill="none"
              stroke="#555"
              strokeDasharray={e.contained ? undefined : '6 4'}
              markerEnd="url(#arrow)"
            >
              <title>{`${e.from} ${e.type} ${e.to}`}</title>
            </path>
          );
        })}
        {[...pos.entries()].map(([id, p]) => (
          <g key={id} className="node" data-node={id} transform={`translate(${p.x},${p.y})`}>
            <rect width={boxW} height={boxH} rx={6} fill="#eef4fb" stroke="#2a5d8f" />
            <text x={boxW / 2} y={19} textAnchor="middle" fontWeight="bold" fontSize="13">
              {id.length > 22 ? `${id.slice(0, 21)}…` : id}
            </text>
            <text x={boxW / 2} y={36} textAnchor="middle" fontSize="11" fill="#333">
              {(types.get(id) ?? '').split('.').slice(-2).join('.')}
            </text>
          </g>
        ))}
      </svg>
      <figcaption>
        Arrows point from a node to its relationship target: solid = contained_in, dashed = connected_to / depends_on.
      </figcaption>
    </figure>
  );
}
