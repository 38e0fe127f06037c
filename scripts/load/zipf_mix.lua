-- A Zipf-skewed mix of recommendation and interaction requests, as a pharmacy's traffic would be: a few
-- questions asked very often, a long tail asked rarely. Request rank r (1 = most frequent) is drawn with
-- probability proportional to 1 / r^s out of ZIPF_KEYS distinct requests (default 10,000, s from ZIPF_S,
-- default 1.0); odd ranks are recommendations, even ranks interaction checks of 2-6 items. Each rank
-- always maps to the same body, so a repeat is a response-cache hit. load.sh reads the hit rate from the
-- server's pharmarec_cache_requests_total counters around this scenario.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
dofile(os.getenv("LOAD_DIR") .. "/ingredients.lua")
local keys = tonumber(os.getenv("ZIPF_KEYS") or "10000")
local s = tonumber(os.getenv("ZIPF_S") or "1.0")
local queries = { "headache and fever", "hay fever", "heartburn", "runny nose and sneezing", "itchy eyes",
  "cough", "hedache", "pain", "sore throat", "blocked nose and the runs", "back pain", "insomnia" }
local allergies = { "", '"penicillin"', '"sulfa"', '"aspirin"' }

-- cumulative[r] = sum of 1/i^s for i <= r; a draw is a binary search for a uniform point in it.
local cumulative = {}
local total = 0
for r = 1, keys do
  total = total + 1 / r ^ s
  cumulative[r] = total
end

local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function init(args)
  math.randomseed(1000 + thread_id)
end

local function draw()
  local u = math.random() * total
  local lo, hi = 1, keys
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < u then lo = mid + 1 else hi = mid end
  end
  return lo
end

-- Distinct ranks give distinct bodies: a recommendation's index is spelled out in mixed radix as
-- (query, allergy, current medicine, age), a basket's as the combination of its size.
local function body(rank)
  local i = math.floor((rank - 1) / 2)
  if rank % 2 == 1 then
    local query = queries[i % #queries + 1]
    i = math.floor(i / #queries)
    local allergy = allergies[i % #allergies + 1]
    i = math.floor(i / #allergies)
    local medicine = ingredients[i % #ingredients + 1]
    local age = math.floor(i / #ingredients) % 80 + 18
    return string.format('{"symptoms":"%s","patient":{"age":%d,"allergies":[%s],"current_medicines":[{"ingredient":"%s"}]}}',
      query, age, allergy, medicine)
  end
  return basket(i, i % 5 + 2)
end

request = function()
  local rank = draw()
  local path = rank % 2 == 1 and "/api/v1/recommendations" or "/api/v1/interactions/check"
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body(rank))
end
