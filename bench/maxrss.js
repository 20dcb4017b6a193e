// Preloaded into a measured process: reports its peak resident memory when it exits.
'use strict';
process.on('exit', () => {
  const file = process.env.ASMPKG_BENCH_RSS_FILE;
  if (file) require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
});
