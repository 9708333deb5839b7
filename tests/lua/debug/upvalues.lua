-- needs: debug
-- debug.getupvalue, setupvalue, upvalueid and upvaluejoin: names and
-- values of Lua and C upvalues, sharing, joining, and the errors.

local u1, u2 = 10, 20
local function f() return u1 + u2 end
local function g() return u2 end

print("get 1", debug.getupvalue(f, 1))
print("get 2", debug.getupvalue(f, 2))
print("get 3", debug.getupvalue(f, 3))
print("get 0", debug.getupvalue(f, 0))
print("set 1", debug.setupvalue(f, 1, 11), f(), u1)
print("set 9", debug.setupvalue(f, 9, 0))

-- a C closure's upvalues have empty names
local wrapped = coroutine.wrap(function() end)
local name, value = debug.getupvalue(wrapped, 1)
print("C upvalue", "[" .. name .. "]", type(value))
print("C upvalue 2", debug.getupvalue(wrapped, 2))
print("C set", "[" .. debug.setupvalue(wrapped, 1, value) .. "]")
print("no upvalues", debug.getupvalue(print, 1))

-- _ENV of a main chunk
local chunk = load("return x")
local envname, env = debug.getupvalue(chunk, 1)
print("chunk upvalue", envname, env == _ENV)
debug.setupvalue(chunk, 1, {x = "from env"})
print("new env", chunk())

-- identities
print("same id", debug.upvalueid(f, 2) == debug.upvalueid(g, 1))
print("different ids", debug.upvalueid(f, 1) == debug.upvalueid(f, 2))
print("bad index", debug.upvalueid(f, 3), debug.upvalueid(print, 1))
print("C id", type(debug.upvalueid(wrapped, 1)))

-- joining: f's first upvalue becomes g's first
debug.upvaluejoin(f, 1, g, 1)
print("joined", f(), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
u2 = 5
print("shared", f())

print(pcall(debug.upvaluejoin, f, 3, g, 1))
print(pcall(debug.upvaluejoin, f, 1, g, 2))
print(pcall(debug.upvaluejoin, wrapped, 1, g, 1))
print(pcall(debug.upvaluejoin, f, 1, wrapped, 1))
print(pcall(debug.upvaluejoin, 1, 1, g, 1))
print(pcall(debug.upvalueid, 1, 1))
print(pcall(debug.upvalueid, f))
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.getupvalue, f))
print(pcall(debug.setupvalue, f, 1))
print(pcall(debug.setupvalue, "f", 1, 2))
