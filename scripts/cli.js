#!/usr/bin/env node
// Entry of `npm run klimanetz -- <command>`: builds the CLI if needed, then runs it.
import { spawnSync } from 'node:child_process';
import { buildIfNeeded } from './build-if-needed.js';

buildIfNeeded();
const r = spawnSync(process.execPath, ['build-cli/index.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
