#!/usr/bin/env node
// Installed entry point: runs the TypeScript CLI through tsx (a runtime dependency), so there is no build step.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const { main } = require('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
