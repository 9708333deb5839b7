-- needs: io os
-- file:read with every format: "l", "L", "a", counts, 0 (end-of-file
-- test), the legacy "*" prefixes, several formats at once (stopping at
-- the first failure), and the argument errors.
local name = os.tmpname()

local function show(...)
  local out = "[" .. select("#", ...) .. "]"
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "string" then v = "<" .. v .. ">" end
    out = out .. " " .. tostring(v)
  end
  print(out)
end

local function reopen(content)
  local f = assert(io.open(name, "w"))
  f:write(content)
  f:close()
  return assert(io.open(name, "r"))
end

-- lines with and without their newline; no format means "l"
local f = reopen("first\nsecond\n\nlast")
show(f:read())
show(f:read("L"))
show(f:read("l"))
show(f:read("L"))
show(f:read("l"))
show(f:read("l"))
show(f:read("L"))
f:close()

-- "a" always succeeds, with "" at the end of the file
f = reopen("all of\nit\n")
show(f:read("a"))
show(f:read("a"))
show(f:read("a", "a"))
f:close()

-- counts: up to n characters, fail at the end; 0 tests for the end
f = reopen("0123456789")
show(f:read(3))
show(f:read(0))
show(f:read(100))
show(f:read(0))
show(f:read(1))
show(f:read(0, "a"))
f:close()

-- several formats: results until the first failure, which is fail
f = reopen("one\ntwo\n")
show(f:read("l", "L", "l", "l", "l"))
f:close()
f = reopen("12 abc\n")
show(f:read("n", "n", "l"))
f:close()
f = reopen("x\ny\n")
show(f:read(1, 1, 1, "a"))
f:close()

-- legacy Lua 5.2 formats with '*'; only the first letter matters
f = reopen("a\nb\nc\n7\nrest")
show(f:read("*l"))
show(f:read("*L"))
show(f:read("*line"))
show(f:read("*n"))
show(f:read("*all"))
f:close()

-- an empty line reads as "", a missing last newline is no problem
f = reopen("\n\nend")
show(f:read("l", "l", "l", "l"))
f:close()

-- bad formats
f = reopen("data")
print(pcall(f.read, f, "x"))
print(pcall(f.read, f, ""))
print(pcall(f.read, f, "*"))
print(pcall(f.read, f, "l", "z"))
print(pcall(f.read, f, {}))
print(pcall(f.read, f, 1.5))
print(pcall(f.read, f, nil))
print(pcall(f.read, f, true))
-- a numeric string is a format, not a count
print(pcall(f.read, f, "3"))
f:close()

-- reading from a file opened for writing only is a stream error
f = assert(io.open(name, "w"))
show(f:read("l"))
show(f:read("a"))
f:close()

print(os.remove(name))
