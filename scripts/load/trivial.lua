-- Base of the ratio: the cheapest endpoint (no I/O), through the full middleware stack.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_gets({ "/version" })
