#!/usr/bin/env node
// The `cfy` command.
import { load } from './launch.js';

const { main } = await load('cfy', 'src/cli/main.ts');
process.exitCode = await main(process.argv);
