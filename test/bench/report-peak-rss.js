// Preloaded into benchmarked processes (NODE_OPTIONS=--require): prints this process's peak RSS at exit.
process.on('exit', () => {
  process.stderr.write(`BENCH_PEAK_RSS_KIB=${process.resourceUsage().maxRSS}\n`);
});
