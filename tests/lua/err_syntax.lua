-- A script that does not compile: lua reports the syntax error with its
-- line and the token near it, and exits with status 1 (nothing runs).

print("this line is never run")
local function broken()
  local x = = 1
end
