-- Basket checks of 2 to 10 items (ingredient names and Orange Book ids).
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_posts("/api/v1/interactions/check", {
  '{"items":[{"ingredient":"warfarin"},{"ingredient":"aspirin"}]}',
  '{"items":[{"ingredient":"paracetamol"},{"ingredient":"ibuprofen"},{"ingredient":"naproxen"}]}',
  '{"items":[{"ingredient":"simvastatin"},{"ingredient":"clarithromycin"},{"ingredient":"amlodipine"},{"ingredient":"metformin"},{"ingredient":"lisinopril"},{"ingredient":"omeprazole"},{"ingredient":"sertraline"},{"ingredient":"tramadol"},{"ingredient":"warfarin"},{"ingredient":"fluconazole"}]}',
  '{"items":[{"medicine_id":"OB-A071192-001"},{"ingredient":"tranexamic acid"}]}',
})
