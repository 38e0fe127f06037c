-- Varied lay queries and patients, including current medicines and allergies.
dofile(os.getenv("LOAD_DIR") .. "/common.lua")
cycle_posts("/api/v1/recommendations", {
  '{"symptoms":"headache and fever"}',
  '{"symptoms":"hay fever","patient":{"age":34,"allergies":["penicillin"]}}',
  '{"symptoms":"heartburn","patient":{"age":70,"current_medicines":[{"ingredient":"warfarin"},{"ingredient":"lisinopril"},{"ingredient":"metformin"},{"ingredient":"atorvastatin"},{"ingredient":"omeprazole"}]}}',
  '{"symptoms":"runny nose and sneezing","patient":{"pregnant":true}}',
  '{"symptoms":"pain","otc_only":false,"limit":10}',
  '{"symptoms":"itchy eyes"}',
  '{"symptoms":"cough","patient":{"age":8}}',
  '{"symptoms":"hedache"}',
})
