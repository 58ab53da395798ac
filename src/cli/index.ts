#!/usr/bin/env node
import { runWorkerIfAsked } from '../secrets-scan/workers.js';
import { main } from './main.js';

if (!runWorkerIfAsked()) process.exitCode = await main(process.argv.slice(2));
