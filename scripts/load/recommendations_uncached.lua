-- Every request distinct (a unique, unrecognised allergy term per thread and request), so no answer
-- comes from the cache: this measures the engine path, not the response cache.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end
local queries = { "headache and fever", "hay fever", "heartburn", "runny nose and sneezing", "itchy eyes", "cough", "hedache", "pain" }
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"symptoms":"%s","patient":{"age":%d,"allergies":["synthetic-%d-%d"],"current_medicines":[{"ingredient":"warfarin"},{"ingredient":"metformin"}]}}',
    queries[n % #queries + 1], n % 90 + 1, thread_id, n)
  return wrk.format("POST", "/api/v1/recommendations", { ["Content-Type"] = "application/json" }, body)
end
