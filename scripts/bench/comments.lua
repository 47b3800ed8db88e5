-- wrk script: JSON comment submissions, each from a different address and commenter with its
-- own text, so the whole policy pipeline runs (rate limits, duplicates, spam score) and accepts.
local counter = 0
local statuses = {}
local path = os.getenv("BENCH_COMMENT_PATH")

-- Each thread has its own Lua state: setup() runs in the main one, once per thread, and gives
-- each thread its own number, so no two posts of a run come from the same address (random
-- addresses collided a few times a run at a thousand posts a second and were rate-limited).
-- The run's own number keeps names and texts apart from earlier runs on the same database (the
-- duplicate check refuses the same text from the same email within a day).
local threads = 0
math.randomseed(os.time())
local run = tostring(math.random(1, 1e9))

function setup(thread)
  threads = threads + 1
  thread:set("tid", tostring(threads))
  thread:set("run", run)
end

request = function()
  counter = counter + 1
  local n = run .. "-" .. tid .. "-" .. counter
  local body = string.format(
    '{"name":"Reader %s","email":"reader%s@example.com","body":"Thoughtful point number %s about the council budget and the late session."}',
    n, n, n)
  local headers = {}
  headers["Content-Type"] = "application/json"
  -- 10.<thread>.<high>.<low>: 65,024 distinct addresses per thread.
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", tonumber(tid) % 256, math.floor(counter / 254) % 256, counter % 254 + 1)
  return wrk.format("POST", path, headers, body)
end
