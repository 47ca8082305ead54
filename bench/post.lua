-- wrk: POST a server function as the hydrated page does (url-encoded arguments, the session cookie, same-origin).
-- BENCH_BODY is the body, BENCH_COOKIE the Cookie header (both from bench/run).
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["content-type"] = "application/x-www-form-urlencoded"
wrk.headers["accept"] = "application/json"
wrk.headers["sec-fetch-site"] = "same-origin"
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then wrk.headers["cookie"] = cookie end
