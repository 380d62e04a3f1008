-- The one line bench/run reads from every workload:
-- RESULT name requests rps p50_ms p95_ms p99_ms non2xx3xx socket_errors
return function(name, summary, latency)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT %s %d %.1f %.1f %.1f %.1f %d %d\n", name, summary.requests,
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
