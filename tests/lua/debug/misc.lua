-- needs: debug
-- debug.getmetatable and setmetatable (any type, no __metatable guard),
-- getregistry, getuservalue and setuservalue on non-userdata,
-- setcstacklimit (deprecated), and debug.debug with no input.

local t = setmetatable({}, {__metatable = "locked"})
print("guarded", getmetatable(t), type(debug.getmetatable(t)))
print(pcall(setmetatable, t, {}))
print("bypass", debug.setmetatable(t, nil) == t, getmetatable(t))

print("number metatable", debug.getmetatable(1))
debug.setmetatable(0, {__index = {twice = function(n) return n * 2 end}})
print("method on numbers", (21):twice())
debug.setmetatable(0, nil)
print("removed", debug.getmetatable(0))

debug.setmetatable(nil, {__index = function(_, k) return "nil." .. k end})
local nothing = nil
print("indexing nil", nothing.field)
debug.setmetatable(nil, nil)

print(pcall(debug.setmetatable, {}, 1))
print(pcall(debug.setmetatable, {}))
print(pcall(debug.getmetatable))

local reg = debug.getregistry()
print("registry", type(reg), reg == debug.getregistry())
print("loaded table", type(reg._LOADED), reg._LOADED._G == _G)
print("main thread", type(reg[1]), type(reg[2]))

-- user values: only full userdata have them
print("uservalue of a table", debug.getuservalue({}))
print("uservalue of nil", debug.getuservalue(nil, 2))
print(pcall(debug.setuservalue, {}, 1))
print(pcall(debug.setuservalue, nil))
print(pcall(debug.getuservalue, 1, "x"))

print("setcstacklimit", debug.setcstacklimit(1000))
print(pcall(debug.setcstacklimit))

-- standard input is empty: the prompt goes to stderr and debug returns
print("debug returns", debug.debug())
