#!/usr/bin/env node
// The `cfy-manager` command (the Rekindle manager process). Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/manager/main.ts');
process.exitCode = await main(process.argv);
