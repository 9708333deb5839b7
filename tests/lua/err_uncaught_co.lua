-- An uncaught error raised inside a coroutine run by coroutine.wrap: the
-- message carries both positions (the error's and the wrapper call's),
-- and the traceback is the main thread's. Status 1.

local gen = coroutine.wrap(function()
  coroutine.yield(1)
  local t = {}
  return t.x.y
end)
print(gen())
print(gen())
