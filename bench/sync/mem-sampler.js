// Preloaded into the API process by bench/sync/run.ts --sample: appends process.memoryUsage() and VmRSS/VmHWM
// every 500 ms to MEM_SAMPLE_FILE (JSON lines, MB). Diagnostics only.
'use strict';
const { appendFileSync, readFileSync } = require('node:fs');
const file = process.env.MEM_SAMPLE_FILE;
if (file) {
  const t0 = Date.now();
  const thresholds = (process.env.MEM_SNAPSHOT_AT || '').split(',').filter(Boolean).map(Number);
  const mb = (n) => Math.round((n / 1048576) * 10) / 10;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(status)[1]) / 1024;
    const line = {
      t: (Date.now() - t0) / 1000,
      rss: mb(m.rss),
      hwm: Math.round(kb('VmHWM')),
      heapTotal: mb(m.heapTotal),
      heapUsed: mb(m.heapUsed),
      external: mb(m.external),
      arrayBuffers: mb(m.arrayBuffers),
      cpu: Math.round(process.cpuUsage().user / 1000),
    };
    // Used MB per V8 space (new, old, large objects, code...).
    for (const space of require('node:v8').getHeapSpaceStatistics())
      line[space.space_name.replace('_space', '')] = mb(space.space_used_size);
    appendFileSync(file, `${JSON.stringify(line)}\n`);
    // MEM_SNAPSHOT_AT=150,200: one heap snapshot the first time heapUsed passes each MB threshold.
    while (thresholds.length && line.heapUsed >= thresholds[0]) {
      const mbAt = thresholds.shift();
      require('node:v8').writeHeapSnapshot(`${file}.${mbAt}.heapsnapshot`);
    }
  }, 500);
  timer.unref();
}
