-- POST the password on the record page and receive the signed record PDF (BENCH_PASSWORD).
local token = "Bench0123456789abcdefghijklmnopq"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken=" .. token .. "; " .. (os.getenv("BENCH_COOKIE") or "")
wrk.body = "csrfmiddlewaretoken=" .. token .. "&password=" .. (os.getenv("BENCH_PASSWORD") or "")

local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/result.lua")
function done(summary, latency, requests)
  report(os.getenv("BENCH_NAME") or "record-pdf", summary, latency)
end
