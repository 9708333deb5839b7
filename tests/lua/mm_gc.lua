-- needs: gcpacing (when collections happen matters: off under GC stress)
-- __gc: a table whose metatable has __gc when setmetatable is called is
-- finalized after it becomes unreachable, during a full collection
-- (collectgarbage()), in the reverse order of being marked; a finalizer
-- may resurrect its object, runs only once, and errors in finalizers
-- become warnings (off by default, so silent). Objects still alive at
-- the end are finalized when the state closes, after the main chunk.

local log = ""
local exiting = false
local function flush(label) print(label .. ":" .. log) log = "" end
local function finalizable(name)
  return setmetatable({ name = name }, { __gc = function(o)
    if exiting then print("finalized at exit: " .. o.name) end
    log = log .. " " .. o.name
  end })
end

do
  local a = finalizable("a")
  local b = finalizable("b")
  local c = finalizable("c")
end
collectgarbage()
flush("collected in reverse order")

-- reachable objects are not finalized
local keep = finalizable("kept")
collectgarbage()
flush("still reachable")

-- __gc must be present when setmetatable is called
local mt = {}
do
  local late = setmetatable({ name = "late" }, mt)
end
mt.__gc = function(o) log = log .. " " .. o.name end
collectgarbage()
flush("__gc added after setmetatable")
-- a placeholder field marks the object; the real function can come later
local mt2 = { __gc = true }
do
  local x = setmetatable({ name = "placeholder" }, mt2)
end
mt2.__gc = function(o) log = log .. " " .. o.name end
collectgarbage()
flush("placeholder replaced")

-- resurrection: the finalizer stores the object; it is not finalized again
local saved
do
  setmetatable({ name = "phoenix" }, { __gc = function(o)
    log = log .. " " .. o.name
    saved = o
  end })
end
collectgarbage()
flush("first collection")
print("resurrected", saved and saved.name)
saved = nil
collectgarbage()
flush("second collection (no second call)")

-- an error in a finalizer does not stop the others
do
  finalizable("before-error")
  setmetatable({}, { __gc = function() error("finalizer error") end })
  finalizable("after-error")
end
collectgarbage()
flush("errors ignored")

-- finalizers may allocate and call functions
do
  setmetatable({}, { __gc = function()
    local t = {}
    for i = 1, 100 do t[i] = { i } end
    log = log .. " allocated " .. #t
  end })
end
collectgarbage()
flush("allocating finalizer")

-- collectgarbage options with deterministic results
print("isrunning", collectgarbage("isrunning"))
collectgarbage("stop")
print("stopped", collectgarbage("isrunning"))
collectgarbage("restart")
print("restarted", collectgarbage("isrunning"))
print("count is a number", type(collectgarbage("count")))
print("step returns a boolean", type(collectgarbage("step")))
print("collect returns", collectgarbage("collect"))
print("mode", collectgarbage("generational"), collectgarbage("incremental"),
      collectgarbage("incremental"))
print("bad option", pcall(collectgarbage, "nonsense"))

-- at the end, the kept object and these are finalized by lua_close,
-- after this print, in reverse order of creation
local last = finalizable("at-exit")
local last2 = finalizable("at-exit-2")
exiting = true
print("end of main chunk", keep.name, last.name, last2.name)
