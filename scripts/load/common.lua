-- Shared by every scenario: report p50/p95/p99 (ms), requests/s and errors on one parseable line.
function report(summary, latency)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("RESULT rps=%.1f p50=%.2f p95=%.2f p99=%.2f requests=%d socket_errors=%d non_2xx=%d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end

-- Cycles through `bodies` so the server sees varied requests, not one cached answer.
function cycle_posts(path, bodies)
  local i = 0
  request = function()
    i = i % #bodies + 1
    return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, bodies[i])
  end
end

function cycle_gets(paths)
  local i = 0
  request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
  end
end

done = function(summary, latency, requests) report(summary, latency) end
