-- wrk script for bench/serve-load.sh: each connection sends the fixture images in turn as single-image v2
-- requests and checks every 200 answer byte for byte against the local model's (expected.txt).
-- Usage: wrk ... -s bench/serve-load.lua URL -- DIR [json|binary]
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("offset", count * 131)
  table.insert(threads, thread)
end

function init(args)
  bodies, expected, headers = {}, {}, {}
  for line in io.lines(args[1] .. "/expected.txt") do expected[#expected + 1] = line end
  if args[2] == "binary" then
    -- The binary tensor extension: each request's JSON header, then its image as little-endian floats.
    local i = 0
    for line in io.lines(args[1] .. "/binary/headers.txt") do
      local f = io.open(args[1] .. "/binary/" .. i .. ".bin", "rb")
      bodies[i + 1] = f:read("*a")
      f:close()
      headers[i + 1] = {["Content-Type"] = "application/octet-stream", ["Inference-Header-Content-Length"] = line}
      i = i + 1
    end
  else
    local json = {["Content-Type"] = "application/json"}
    for line in io.lines(args[1] .. "/bodies.txt") do
      bodies[#bodies + 1] = line
      headers[#headers + 1] = json
    end
  end
  at = offset % #bodies
  checked, wrong, busy = 0, 0, 0
end

function request()
  at = at % #bodies + 1
  return wrk.format("POST", nil, headers[at], bodies[at])
end

function response(status, hdrs, body)
  if status == 200 then
    checked = checked + 1
    local id = tonumber(body:match('"id":"(%d+)"'))
    if id == nil or body ~= expected[id + 1] then wrong = wrong + 1 end
  elseif status == 503 then
    busy = busy + 1
  end
end

function done(summary, latency, requests)
  local c, w, b = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("checked")
    w = w + t:get("wrong")
    b = b + t:get("busy")
  end
  local e = summary.errors
  io.write(string.format("requests %d in %.1f s: %.0f/s; answered 200 and checked %d, wrong %d; 503 %d; "
    .. "other non-2xx %d; socket errors connect %d read %d write %d timeout %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), c, w, b,
    e.status - b, e.connect, e.read, e.write, e.timeout))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
