-- Catalogue listing and single-medicine reads (real Orange Book ids), varied.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_gets({
  "/api/v1/medicines?page=1&per_page=20",
  "/api/v1/medicines?q=ibuprofen&otc=true",
  "/api/v1/medicines/OB-A071192-001",
  "/api/v1/medicines?page=37&per_page=50&sort=name_desc",
  "/api/v1/medicines?q=acetaminophen",
  "/api/v1/medicines/OB-A209060-002",
})
