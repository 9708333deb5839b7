-- needs: io
-- io.popen: reading a command's output, writing to its input, the close
-- results (true/fail, "exit"/"signal", code) and the mode check.
local p = io.popen("echo hi")
print(io.type(p))
print(p:read("l"))
print(p:read("l"))
print(p:close())
print(io.type(p), tostring(p))
print(pcall(p.close, p))

p = io.popen("echo one; echo two; echo 3", "r")
for l in p:lines() do print("<" .. l .. ">") end
print(p:close())

p = io.popen("printf '12 0x10 rest'")
print(p:read("n", "n", "a"))
print(p:close())

print("exit statuses")
print(io.popen("exit 3"):close())
print(io.popen("exit 0"):close())
print(io.popen("true"):close())
print(io.popen("false"):close())
print(io.popen("exit 255"):close())
print(io.popen("kill -9 $$"):close())
print(io.popen("kill -15 $$"):close())
print(io.close(io.popen("exit 7")))

print("a command that does not exist: the shell reports 127")
p = io.popen("exec ./no-such-command-here 2>/dev/null")
print(p:read("a"))
print(p:close())

print("writing to a command")
p = io.popen("cat", "w")
print(io.type(p))
print(rawequal(p:write("through ", "cat", "\n"), p))
print(p:close())
p = io.popen("read x; exit $x", "w")
p:write("42\n")
print(p:close())

print("reading from a write pipe fails")
p = io.popen("cat >/dev/null", "w")
print(p:read("l"))
print(p:close())

print("modes")
print(pcall(io.popen, "true", "rw"))
print(pcall(io.popen, "true", "r+"))
print(pcall(io.popen, "true", "rb"))
print(pcall(io.popen, "true", ""))
print(pcall(io.popen, "true", "a"))
print(pcall(io.popen))
print(pcall(io.popen, {}))
