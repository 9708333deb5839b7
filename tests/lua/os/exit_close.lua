-- needs: os
-- os.exit(code, true) closes the state before exiting: pending
-- to-be-closed variables are closed and finalizers run, and the status
-- is the code given (here a float with an integral value).
local kept = setmetatable({}, {__gc = function() print("finalizer ran") end})
local function body()
  local guard <close> = setmetatable({}, {__close = function(_, err)
    print("closed guard", err)
  end})
  print("exiting")
  os.exit(7.0, true)
end
body()
print("not reached")
