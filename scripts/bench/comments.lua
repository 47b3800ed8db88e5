-- wrk script: JSON comment submissions, each from a different address and commenter with its
-- own text, so the whole policy pipeline runs (rate limits, duplicates, spam score) and accepts.
local counter = 0
local statuses = {}
local path = os.getenv("BENCH_COMMENT_PATH")

-- Each thread has its own Lua state, and each state's random numbers start from the same seed:
-- unseeded, the threads would send the same addresses in the same order and rate-limit each other.
math.randomseed(os.time())

function setup(thread)
  thread:set("tid", tostring(math.random(1, 1e9)))
end

function init(args)
  math.randomseed(tonumber(tid))
end

request = function()
  counter = counter + 1
  local n = tid .. "-" .. counter
  local body = string.format(
    '{"name":"Reader %s","email":"reader%s@example.com","body":"Thoughtful point number %s about the council budget and the late session."}',
    n, n, n)
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format("POST", path, headers, body)
end
