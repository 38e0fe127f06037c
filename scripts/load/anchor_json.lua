-- TechEmpower's actix `/json` (tfb-web): the trivial anchor.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_gets({ "/json" })
