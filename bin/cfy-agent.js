#!/usr/bin/env node
// The `cfy-agent` command (the agent process). Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/agent/main.ts');
process.exitCode = await main(process.argv);
