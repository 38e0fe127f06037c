-- Base of the ratio: the cheapest endpoint the app serves, through the full middleware stack.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_gets({ "/health" })
