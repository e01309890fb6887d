/** How commands print: plain text for people, JSON for scripts. One place for both. */
import Table from 'cli-table3';

export interface Output {
  /** A line for people (stdout). */
  info(line: string): void;
  /** A warning for people (stderr). */
  warn(line: string): void;
  /** A JSON document (stdout), for `--json`. */
  json(value: unknown): void;
  /** A table with a title line, Cloudify style. */
  table(title: string, columns: string[], rows: unknown[][]): void;
}

/** Output to the process's streams. */
export function processOutput(stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): Output {
  return {
    info: (line) => void stdout.write(`${line}\n`),
    warn: (line) => void stderr.write(`${line}\n`),
    json: (value) => void stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    table(title, columns, rows) {
      const table = new Table({ head: columns, style: { head: [], border: [] } });
      for (const row of rows) table.push(row.map(cell));
      stdout.write(`\n${title}\n${table.toString()}\n\n`);
    },
  };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
