-- TechEmpower's actix + diesel `/db` (tfb-web-diesel): one random `world` row by id from PostgreSQL.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_gets({ "/db" })
