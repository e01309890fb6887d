/** Runs the CLI in-process with captured output, in a given working directory. */
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], cwd: string): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = {
    info: (line) => void out.push(line),
    warn: (line) => void err.push(line),
    json: (value) => void out.push(JSON.stringify(value, null, 2)),
    table: (title, columns, rows) => void out.push([title, columns.join('|'), ...rows.map((r) => r.map(String).join('|'))].join('\n')),
  };
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await main(['node', 'cfy', ...args], output);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}
