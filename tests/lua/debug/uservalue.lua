-- needs: debug package
-- debug.getuservalue and setuservalue on full userdata (an LPeg pattern,
-- which has one user value): the value and true, missing indices, the
-- returned userdata, and the argument errors.

local lpeg = require "lpeg"
local p = lpeg.P"a"
local value, present = debug.getuservalue(p)
print("first", type(value), present)
print("explicit 1", type((debug.getuservalue(p, 1))), select(2, debug.getuservalue(p, 1)))
print("index 2", debug.getuservalue(p, 2))
print("index 0", debug.getuservalue(p, 0))
print("index -1", debug.getuservalue(p, -1))

print("set index 2", debug.setuservalue(p, {}, 2))
local mine = {tag = "mine"}
print("set returns it", debug.setuservalue(p, mine) == p)
print("read back", debug.getuservalue(p) == mine, debug.getuservalue(p).tag)
print("set nil", debug.setuservalue(p, nil) == p, debug.getuservalue(p))

print(pcall(debug.setuservalue, p))
print(pcall(debug.setuservalue, p, 1, "x"))
print(pcall(debug.getuservalue, p, "x"))
