-- needs: io os
-- File handles: io.type, __tostring, __name and the method table, open
-- modes and open failures, closing (twice, standard files, __close,
-- __gc), io.tmpfile, and the errors of closed and non-file handles.
local name = os.tmpname()

print("io.type")
print(io.type(io.stdin), io.type(io.stdout), io.type(io.stderr))
print(io.type(nil), io.type(42), io.type("file"), io.type({}))
print(io.type(setmetatable({}, getmetatable(io.stdout))))
print(pcall(io.type))

print("the metatable")
local mt = getmetatable(io.stdout)
print(mt.__name, type(mt.__index), type(mt.__gc), type(mt.__close),
      type(mt.__tostring), rawequal(mt.__gc, mt.__close))
for _, m in ipairs({"close", "flush", "lines", "read", "seek", "setvbuf",
                    "write"}) do
  io.write(m, "=", type(mt.__index[m]), " ")
end
print()
print(rawequal(getmetatable(io.stdin), mt), rawequal(io.stdout.write, mt.__index.write))

print("__tostring")
local f = assert(io.open(name, "w"))
local s = tostring(f)
print(type(s), s == tostring(f), s ~= "file (closed)", #s > 7)
print(f:close())
print(tostring(f), io.type(f))
print(pcall(f.close, f))
print(pcall(io.close, f))
print(pcall(f.read, f))
print(pcall(f.write, f, "x"))
print(pcall(f.lines, f))
print(pcall(mt.__tostring, 42))

print("open modes")
for _, mode in ipairs({"r", "w", "a", "r+", "w+", "a+", "rb", "wb", "ab",
                       "r+b", "w+b", "a+b", "rbb", "r+bb"}) do
  local h, err = io.open(name, mode)
  io.write(mode, ":", io.type(h) or tostring(err), " ")
  if h then h:close() end
end
print()
for _, mode in ipairs({"", "x", "rw", "br", "+r", "r++", "rt", "r+b+",
                       "ra", "w+x"}) do
  print(mode, pcall(io.open, name, mode))
end
print(pcall(io.open, name, {}))
print(pcall(io.open))
print(pcall(io.open, {}))

print("open failures return fail, a message and errno")
print(io.open("no-such-file.txt"))
print(io.open("no-such-file.txt", "r+"))
print(io.open("no-such-dir/x.txt", "w"))
print(io.open(".", "w"))

print("append mode")
f = assert(io.open(name, "w"))
f:write("one\n")
f:close()
f = assert(io.open(name, "a"))
f:write("two\n")
f:close()
f = assert(io.open(name, "a+"))
f:write("three\n")
f:seek("set")
print(f:read("a"))
f:close()

print("the standard files cannot be closed")
print(io.stdout:close())
print(io.stderr:close())
print(io.stdin:close())
print(io.close())
print(io.type(io.stdout), io.type(io.stdin), io.type(io.stderr))
print(io.stdout:write("stdout still works\n") == io.stdout)

print("io.tmpfile")
f = io.tmpfile()
print(io.type(f))
f:write("temporary ", 42)
print(f:seek("set"))
print(f:read("l"))
print(f:seek("set", 10), f:read("n"))
print(f:close(), io.type(f))

print("to-be-closed handles")
do
  local h <close> = assert(io.open(name, "w"))
  h:write("closed by __close\n")
  f = h
end
print(io.type(f))
for l in io.lines(name) do print(l) end

print("__gc closes (and so flushes) a lost handle")
do
  local h = assert(io.open(name, "w"))
  h:write("written before collection\n")
end
collectgarbage()
collectgarbage()
for l in io.lines(name) do print(l) end

print("closing through __gc twice is harmless")
f = assert(io.open(name))
mt.__gc(f)
print(io.type(f))
mt.__gc(f)
mt.__close(f)
print(io.type(f))

print("methods on things that are not files")
print(pcall(io.stdout.write, {}, "x"))
print(pcall(io.stdout.close, "x"))
print(pcall(io.stdout.seek))
print(pcall(io.stdout.flush, io))

print(os.remove(name))
