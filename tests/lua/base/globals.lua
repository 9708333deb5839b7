-- _G, _VERSION and the set of base-library globals.

print(_VERSION)
print(_G == _ENV, _G._G == _G)
local names = {
  "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs",
  "load", "loadfile", "next", "pairs", "pcall", "print", "rawequal",
  "rawget", "rawlen", "rawset", "select", "setmetatable", "tonumber",
  "tostring", "type", "warn", "xpcall",
}
for _, name in ipairs(names) do
  print(name, type(_G[name]))
end
print(type(coroutine))
local conames = {"close", "create", "isyieldable", "resume", "running",
  "status", "wrap", "yield"}
for _, name in ipairs(conames) do
  print("coroutine." .. name, type(coroutine[name]))
end
print(rawequal(_G, _ENV))
x_global = 1
print(_G.x_global, rawget(_G, "x_global"))
_G.y_global = 2
print(y_global)
