-- GET one page as signed-in users: BENCH_COOKIES is a file of "sessionid=..." lines (bench/sessions.py),
-- used in turn so that no two connections share a session. Prints one RESULT line at the end.
local cookies = {}
for line in io.lines(os.getenv("BENCH_COOKIES")) do
  if #line > 0 then cookies[#cookies + 1] = line end
end
local counter = 0
thread_id = 0  -- a global: setup() sets it in each thread after the script is loaded
local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local cookie = cookies[((thread_id * 4 + counter) % #cookies) + 1]
  return wrk.format("GET", nil, {["Cookie"] = cookie, ["Accept"] = "text/html"})
end

local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/result.lua")
function done(summary, latency, requests)
  report(os.getenv("BENCH_NAME") or "get", summary, latency)
end
