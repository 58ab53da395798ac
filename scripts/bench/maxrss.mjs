// Preloaded into a benchmarked Node process (`node --import ./maxrss.mjs ...`): at exit, writes the
// process's peak resident set size in KiB to the file named by IMAGEPIPE_BENCH_RSS_FILE. A run
// stopped at the time limit (SIGTERM) writes it too, then exits as the signal would have.
import * as fs from 'node:fs';

const file = process.env.IMAGEPIPE_BENCH_RSS_FILE;
const write = () => {
  try {
    fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
  } catch {
    // A missing figure is reported as such; the measured run must not fail because of it.
  }
};
if (file) {
  process.on('exit', write);
  process.once('SIGTERM', () => process.exit(143));
}
