-- Each request a different address: wrk -s bench/distinct.lua URL -- FILE OFFSET THREADS
--
-- FILE holds one path a line (bench/pages.py's distinct addresses). Thread n of THREADS asks
-- for the paths OFFSET + n, OFFSET + n + THREADS, ..., so no two requests share a path until
-- the file runs out (it then starts again: the report says so). At the end wrk prints where
-- the furthest thread got, for the next run to start after it (bench/wrk.py reads it).
-- Headers given with -H (the session cookie) go with every request (wrk.format adds them).

local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  stride = tonumber(args[3])
  position = tonumber(args[2]) + number
  count = #paths
end

function request()
  local path = paths[(position % count) + 1]
  position = position + stride
  return wrk.format(nil, path)
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
