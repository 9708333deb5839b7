-- needs: io os
-- Line iterators: file:lines and io.lines with and without formats,
-- io.lines(name) closing its file at the end (and when a loop breaks),
-- io.lines() over the default input, the "file is already closed" and
-- "too many arguments" errors, and a missing file.
local name = os.tmpname()
local f = assert(io.open(name, "w"))
f:write("alpha\nbeta\n\ngamma 12 3.5\ndelta")
f:close()

print("f:lines()")
f = assert(io.open(name))
for l in f:lines() do print("<" .. l .. ">") end
print(io.type(f))  -- file:lines leaves the file open
print(f:read("a") == "", f:read("l"))
f:close()

print("f:lines('L')")
f = assert(io.open(name))
for l in f:lines("L") do io.write("[", l, "]") end
print()
f:close()

print("f:lines with several formats")
f = assert(io.open(name))
for a, b in f:lines(1, "l") do print(a, b) end
f:close()

f = assert(io.open(name))
for l, n1, n2 in f:lines("l", "l", "l") do print(l, n1, n2) end
f:close()

print("numbers through lines")
f = assert(io.open(name))
f:read("l", "l", "l")
for word, x, y in f:lines(5, "n", "n") do print(word, x, y) end
f:close()

print("io.lines(name)")
for l in io.lines(name) do print("<" .. l .. ">") end
for l in io.lines(name, "L") do io.write(l, "|") end
print()
for a, b, c in io.lines(name, 2, 3, "l") do print(a, b, c) end
for chunk in io.lines(name, 8) do io.write("(", chunk, ")") end
print()

print("io.lines returns four values; the fourth is the file")
local it, s, c, file = io.lines(name)
print(type(it), s, c, io.type(file))
print(it(), it(), it(), it(), it())
print(it(), io.type(file))  -- end of file: the iterator closed it
print(pcall(it))

print("a loop left early closes the file through the fourth value")
local kept
for l, _ in (function(...) local a, b, c, d = io.lines(name) kept = d return a, b, c, d end)() do
  print(l)
  break
end
print(io.type(kept))

print("an iterator whose file was closed")
f = assert(io.open(name))
it = f:lines()
print(it())
f:close()
print(pcall(it))

print("io.lines() reads the default input")
io.input(name)
for l in io.lines() do io.write(l, ";") end
print()
print(io.type(io.input()))  -- not closed by the iterator
print(io.read("a") == "")
io.input():close()
print(pcall(io.lines))
io.input(io.stdin)

print("too many formats")
local function withformats(n, fn, ...)
  if n == 0 then return fn(...) end
  return withformats(n - 1, fn, "l", ...)
end
f = assert(io.open(name))
print(pcall(withformats, 250, function(...) return type(f:lines(...)) end))
print(pcall(withformats, 251, function(...) return f:lines(...) end))
print(pcall(withformats, 250, function(...) return type(io.lines(name, ...)) end))
print(pcall(withformats, 251, function(...) return io.lines(name, ...) end))
f:close()

print("bad arguments and missing files")
print(pcall(io.lines, "no-such-file.txt"))
print(pcall(io.lines, {}))
print(pcall(f.lines, f))
print(pcall(f.lines, 42))
f = assert(io.open(name))
it = f:lines("x")
print(pcall(it))
f:close()

print(os.remove(name))
