-- Each request a different address: wrk -s bench/distinct.lua URL -- FILE OFFSET THREADS
--
-- FILE holds one request a line (bench/pages.py's distinct addresses): a path to GET, or a
-- path, a space and a body to POST to it (bench/wrk.py's request_line; a path has no space).
-- Thread n of THREADS asks for the lines OFFSET + n, OFFSET + n + THREADS, ..., so no two
-- requests share a line until the file runs out (it then starts again: the report says so).
-- A file of one line asks the same request again and again (a POST's repeated figure). At
-- the end wrk prints where the furthest thread got, for the next run to start after it
-- (bench/wrk.py reads it). Headers given with -H (the session cookie, the API token, a POST's
-- Content-Type) go with every request (wrk.format adds them).

local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  bodies = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      local path, body = line:match("^(%S+) (.+)$")
      paths[#paths + 1] = path or line
      bodies[#paths] = body -- nil for a GET
    end
  end
  stride = tonumber(args[3])
  position = tonumber(args[2]) + number
  count = #paths
end

function request()
  local line = (position % count) + 1
  position = position + stride
  local body = bodies[line]
  if body then
    return wrk.format("POST", paths[line], nil, body)
  end
  return wrk.format(nil, paths[line])
end

function done(summary, latency, requests)
  local furthest = 0
  for _, thread in ipairs(threads) do
    local reached = thread:get("position")
    if reached > furthest then
      furthest = reached
    end
  end
  io.write(string.format("Distinct addresses: next %d of %d\n", furthest, threads[1]:get("count")))
end
