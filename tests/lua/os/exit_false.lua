-- needs: os
-- os.exit(false) exits with EXIT_FAILURE; a pending to-be-closed
-- variable is not closed, since the state is not closed.
local guard <close> = setmetatable({}, {__close = function()
  print("never printed")
end})
print("before exit")
os.exit(false)
