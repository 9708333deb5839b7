-- Ends with an uncaught error deep in a recursion: the traceback shows the
-- first 10 and the last 11 levels and says how many it skipped between.
-- Exit status 1; standard error contains the script path.
local function recurse(n)
  if n == 0 then error("bottom reached") end
  recurse(n - 1)
end
recurse(40)
