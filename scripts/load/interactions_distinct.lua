-- Every basket distinct: 10 ingredients per check, each thread walking its own range of the
-- combinations of 10 out of the ingredient list, so no answer can come from the response cache.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
dofile(os.getenv("LOAD_DIR") .. "/ingredients.lua")
local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end
local n = 0
request = function()
  n = n + 1
  -- 2^32 combinations per thread: far more than one run sends.
  return wrk.format("POST", "/api/v1/interactions/check", { ["Content-Type"] = "application/json" },
    basket(thread_id * 4294967296 + n, 10))
end
