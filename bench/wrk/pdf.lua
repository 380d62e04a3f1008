-- POST the password on the record page and receive the signed record PDF (BENCH_PASSWORD), as the
-- DSL sessions in BENCH_COOKIES in turn.
local token = "Bench0123456789abcdefghijklmnopq"
local cookies = {}
for line in io.lines(os.getenv("BENCH_COOKIES")) do
  if #line > 0 then cookies[#cookies + 1] = line end
end
local counter = 0
local body = "csrfmiddlewaretoken=" .. token .. "&password=" .. (os.getenv("BENCH_PASSWORD") or "")
function request()
  counter = counter + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token .. "; " .. cookies[(counter % #cookies) + 1],
  }, body)
end

local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/result.lua")
function done(summary, latency, requests)
  report(os.getenv("BENCH_NAME") or "record-pdf", summary, latency)
end
