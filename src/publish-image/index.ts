import { run } from '../core/run.js';
import { main } from './action.js';

void run(main);
