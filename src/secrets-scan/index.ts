import { run } from '../core/run.js';
import { main } from './action.js';
import { runWorkerIfAsked } from './workers.js';

if (!runWorkerIfAsked()) void run(main);
