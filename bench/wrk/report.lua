-- POST /report/ as many reporters in turn, each request with its own idempotency key and text.
-- BENCH_REPORTERS: a file of "session_key setting_id username" lines (bench/sessions.py writes it).
-- BENCH_RUN: a few hex digits that make this run's keys differ from every other run's.
-- The idempotency key is RUN-thread-0000-8000-counter, so no two requests share one; the text
-- carries the key, so bench/check_reports.py can find each report afterwards.
local run = os.getenv("BENCH_RUN") or "0"
local token = "Bench0123456789abcdefghijklmnopq"  -- a CSRF secret: the cookie and the form agree
local reporters = {}
for line in io.lines(os.getenv("BENCH_REPORTERS")) do
  local key, setting = line:match("^(%S+)%s+(%S+)")
  if key then reporters[#reporters + 1] = {key = key, setting = setting} end
end

local counter = 0
thread_id = 0  -- a global: setup() sets it in each thread after the script is loaded
local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function init(args)
  counter = 0
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  counter = counter + 1
  local r = reporters[((thread_id * 7919 + counter) % #reporters) + 1]
  local key = string.format("%08x-%04x-4000-8000-%012x", tonumber(run, 16) % 4294967296, thread_id, counter)
  local body = table.concat({
    "csrfmiddlewaretoken=" .. token,
    "setting=" .. r.setting,
    "idempotency_key=" .. key,
    "source=friend",
    "disclosed_at=" .. urlencode(os.date("!%Y-%m-%dT%H:%M")),
    "young_people_named=" .. urlencode("A pupil in Year 9 (benchmark)"),
    "what_was_said=" .. urlencode("Benchmark report " .. key .. ": a friend said a picture was being shared."),
    "imagery_known=",
    "devices=",
    "reporter_saw_imagery=no",
  }, "&")
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token .. "; sessionid=" .. r.key,
  }, body)
end

local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/result.lua")
function done(summary, latency, requests)
  report(os.getenv("BENCH_NAME") or "report-post", summary, latency)
end
