-- Ingredient names of the shipped catalogue that take part in many interaction rows (NDF-RT and ANSM),
-- shared by the basket scenarios so every basket makes the engine look pairs up.
ingredients = {
  "warfarin", "aspirin", "ibuprofen", "naproxen", "acetaminophen", "simvastatin", "atorvastatin",
  "clarithromycin", "amlodipine", "metformin", "lisinopril", "omeprazole", "sertraline", "tramadol",
  "fluconazole", "digoxin", "amiodarone", "diltiazem", "verapamil", "fluoxetine", "citalopram",
  "paroxetine", "methotrexate", "clopidogrel", "prednisone", "furosemide", "hydrochlorothiazide",
  "spironolactone", "ciprofloxacin", "erythromycin", "ketoconazole", "itraconazole", "rifampin",
  "phenytoin", "carbamazepine", "allopurinol", "sildenafil", "tamoxifen", "theophylline",
  "cyclosporine", "tacrolimus", "ritonavir", "haloperidol", "quetiapine", "diazepam", "alprazolam",
  "codeine", "morphine", "oxycodone", "gabapentin", "losartan", "metoprolol", "propranolol",
  "glipizide", "doxycycline", "amoxicillin", "cetirizine", "loratadine", "diphenhydramine",
  "pseudoephedrine", "dextromethorphan", "ranitidine", "famotidine", "escitalopram", "venlafaxine",
  "duloxetine", "trazodone", "zolpidem", "montelukast",
}

-- binomial[n][k] = n choose k, for n up to the list's length and k up to 10 (exact in doubles).
local binomial = {}
for n = 0, #ingredients do
  binomial[n] = { [0] = 1 }
  for k = 1, 10 do
    binomial[n][k] = n == 0 and 0 or binomial[n - 1][k - 1] + binomial[n - 1][k]
  end
end

-- The `rank`-th (0-based) set of `k` (at most 10) distinct ingredients in the combinatorial number
-- system: distinct ranks below the number of such sets give distinct sets, so a counter yields baskets
-- that never repeat.
function basket(rank, k)
  local items = {}
  local x = rank % binomial[#ingredients][k]
  for size = k, 1, -1 do
    -- The largest c with (c choose size) <= x names the next item (c counts from 0).
    local c = size - 1
    while binomial[c + 1][size] <= x do c = c + 1 end
    x = x - binomial[c][size]
    items[#items + 1] = string.format('{"ingredient":"%s"}', ingredients[c + 1])
  end
  return '{"items":[' .. table.concat(items, ",") .. "]}"
end
