-- GET one page as one signed-in user: BENCH_COOKIE holds "sessionid=...".
-- Prints one RESULT line (see report.lua for its fields) when the run ends.
local cookie = os.getenv("BENCH_COOKIE") or ""
wrk.headers["Cookie"] = cookie
wrk.headers["Accept"] = "text/html"

local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/result.lua")
function done(summary, latency, requests)
  report(os.getenv("BENCH_NAME") or "get", summary, latency)
end
