-- wrk script for S2/S3: every request asks for a random single range of a
-- fixed length inside the file, like a player seeking around.
--
--   wrk ... -s bench/range.lua <url> -- <file size> <range length> [links file]
--
-- With a links file (one `expires=...&signature=...` a line), each request
-- takes the next link as its query, so a signed service verifies a fresh
-- signature every time.
--
-- No response() callback on purpose: defining one makes wrk copy every body
-- into Lua (1 MiB per response in S2), which would make the client the
-- bottleneck. Status errors come from wrk's own count (status > 399) and the
-- orchestrator checks bytes/request against the range length, which catches a
-- server that answers 200 with the whole file instead of 206.
--
-- done() prints one machine-readable line starting with BENCH_RESULT.

local threads = {}

function setup(thread)
   thread:set("thread_id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   size = tonumber(args[1])
   len = tonumber(args[2])
   if size == nil or len == nil or len > size then
      error("usage: -- <file size> <range length>")
   end
   -- Different seed per thread, so threads do not request the same sequence.
   math.randomseed(os.time() * 1000 + (thread_id or 0))
   last_start = size - len
   links = {}
   if args[3] ~= nil then
      for line in io.lines(args[3]) do
         if line ~= "" then table.insert(links, line) end
      end
      -- Threads start at different places in the pool.
      next_link = ((thread_id or 1) * 997) % #links
   end
end

function request()
   local first = math.random(0, last_start)
   wrk.headers["Range"] = "bytes=" .. first .. "-" .. (first + len - 1)
   if #links > 0 then
      next_link = next_link % #links + 1
      return wrk.format(nil, wrk.path .. "?" .. links[next_link])
   end
   return wrk.format()
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latency_us":{"p50":%d,"p99":%d,"max":%d}}\n',
      summary.requests, summary.duration, summary.bytes,
      e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(99), latency.max))
end
