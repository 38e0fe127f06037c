-- The same single-row reads against the bare actix-web + diesel baseline (examples/bare_read.rs).
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_gets({ "/medicines/OB-A071192-001", "/medicines/OB-A209060-002", "/medicines/OB-A209060-001" })
