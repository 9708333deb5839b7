-- needs: os
-- os.exit(true) exits with EXIT_SUCCESS from inside nested calls and a
-- protected call.
local function deep(n)
  if n == 0 then os.exit(true) end
  return deep(n - 1) + 1
end
print(pcall(deep, 10))
print("not reached")
