-- needs: io os
-- The default files: io.input and io.output (by name and by handle),
-- io.read, io.write, io.lines(), io.close() and io.flush() on them, and
-- the errors once a default file is closed.
local name = os.tmpname()
local other = os.tmpname()

print("the initial defaults are the standard files")
print(rawequal(io.input(), io.stdin), rawequal(io.output(), io.stdout))
print(io.read("l"))  -- standard input is empty in the tests
print(io.read("a"))
print(io.read(0))

print("io.write returns the default output")
print(rawequal(io.write("to stdout", " ", 1, " ", 2.5, "\n"), io.stdout))
print(rawequal(io.write(), io.stdout))
print(io.flush())
print(pcall(io.write, {}))

print("io.output(name) opens for writing and makes it the default")
local out = io.output(name)
print(io.type(out), rawequal(io.output(), out))
print(rawequal(io.write("line one\n", 2, "\n"), out))
print(io.flush())
print(rawequal(io.output(io.stdout), io.stdout))
print(io.type(out))  -- replacing the default does not close it
out:write("line three\n")
out:close()

print("io.input(name) opens for reading")
local inp = io.input(name)
print(io.type(inp), rawequal(io.input(), inp))
print(io.read())
print(io.read("n", "l"))
print(io.read("L"))
print(io.read("l"))
print(io.read(0))

print("io.input(handle)")
local h = assert(io.open(name))
print(rawequal(io.input(h), h))
print(io.read("a"))
print(pcall(io.input, 42))
print(pcall(io.input, {}))
h:close()
print(pcall(io.input, h))

print("a closed default input")
print(pcall(io.read))
print(pcall(io.read, "a"))
print(pcall(io.lines))
print(io.type(io.input()))
io.input(io.stdin)

print("io.close() closes the default output")
io.output(other)
io.write("to the other file\n")
print(io.close())
print(io.type(io.output()))
print(pcall(io.write, "x"))
print(pcall(io.flush))
print(pcall(io.close))
io.output(io.stdout)
for l in io.lines(other) do print(l) end

print("io.close(file)")
h = assert(io.open(name))
print(io.close(h), io.type(h))
print(pcall(io.close, h))
print(pcall(io.close, 42))

print("files that cannot be opened")
print(pcall(io.input, "no-such-file.txt"))
print(rawequal(io.input(), io.stdin))
print(pcall(io.output, "no-such-dir/file.txt"))
print(rawequal(io.output(), io.stdout))

print("io.read's formats are checked")
io.input(name)
print(pcall(io.read, "x"))
print(pcall(io.read, "n", {}))  -- "n" fails first: {} is never looked at
print(pcall(io.read, "l", {}))
io.input():close()
io.input(io.stdin)

print(os.remove(name), os.remove(other))
