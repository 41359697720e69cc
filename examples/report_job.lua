-- SPDX-License-Identifier: MIT
-- report_job.lua - the end-to-end job, in LuaJIT (see report_job.c):
-- open a store, import the sample data, load the rules, classify every
-- case, assess the year, print the report.
--
--   luajit report_job.lua DATA-DIR RULES-FILE
local qc = require("quotacase")
local data_dir, rules_file = arg[1], arg[2]
local files = { "offices.csv", "departments.csv", "people.csv", "cases.csv",
                "participations.csv", "acts.csv", "reviews.csv", "extra.yaml" }

local ok, err = pcall(function()
  local store = qc.open("memory:")
  store:transaction(function()  -- all files, or none
    for _, name in ipairs(files) do store:import_file(data_dir .. "/" .. name) end
  end)
  local rules = qc.rules(rules_file)
  print("classified: " .. qc.classifier(rules):classify_store(store))
  io.stdout:flush()
  qc.assess(rules, store, "2017"):report("-", "text", "en", false)
end)
if not ok then
  io.stderr:write("error: " .. tostring(err) .. "\n")
  os.exit(1)
end
