-- Single-medicine read only: compared with the bare actix-web + diesel baseline.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_gets({ "/api/v1/medicines/OB-A071192-001", "/api/v1/medicines/OB-A209060-002", "/api/v1/medicines/OB-A209060-001" })
