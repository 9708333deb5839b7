-- An uncaught runtime error ends the script: lua prints "lua: " + the
-- message and a stack traceback naming each active function as the
-- debug information sees it (global, local, method, field, upvalue,
-- anonymous function, C function; a tail call shows as "(...tail
-- calls...)"), then exits with status 1.

print("output before the error is kept")

local Obj = {}
function Obj:method(t)
  return t.missing.field        -- the error: index a nil value
end

local helpers = {}
function helpers.field_fn(t)
  local r = Obj:method(t)
  return r
end

local function local_fn(t)
  return helpers.field_fn(t)     -- a tail call
end

local function wrapper(t)
  local v = local_fn(t)
  return v
end

local up = wrapper
function global_fn(t)
  local v = up(t)                -- called through an upvalue
  return v
end

local anon = function(t) local x = global_fn(t) return x end
-- pcall elsewhere does not matter: this call is not protected
print(pcall(error, "caught"))
anon({})
print("never printed")
