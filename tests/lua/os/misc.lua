-- needs: os io
-- os.getenv, os.tmpname, os.remove, os.rename, os.setlocale,
-- os.execute and os.clock: results, failures (luaL_fileresult and
-- luaL_execresult triples) and argument errors.
print("getenv")
print(os.getenv("LC_ALL"))  -- the test runner sets it to C
print(os.getenv("LUA_ANATOMY_SURELY_UNSET_VARIABLE"))
print(pcall(os.getenv))
print(pcall(os.getenv, {}))

print("tmpname creates an empty file with a fresh name")
local a, b = os.tmpname(), os.tmpname()
print(type(a), a ~= b)
local f = assert(io.open(a))
print(f:read("a") == "", f:read("l"))
f:close()

print("rename and remove")
f = assert(io.open(a, "w"))
f:write("moved content")
f:close()
print(os.rename(a, b))
print(io.open(b):read("a"))
print(os.rename(a, b))  -- `a` is gone now
print(os.remove(b))
local ok, msg, code = os.remove(a)  -- the message holds the path
print(ok, type(msg), code)
print(os.remove("no-such-file.txt"))
print(os.rename("no-such-file.txt", "other-name.txt"))
print(os.remove("no-such-dir/x"))
print(pcall(os.remove))
print(pcall(os.rename, "x"))
print(pcall(os.rename, {}, "x"))

print("setlocale")
print(os.setlocale())
print(os.setlocale(nil, "all"))
for _, cat in ipairs({"collate", "ctype", "monetary", "numeric", "time"}) do
  io.write(cat, "=", os.setlocale(nil, cat), " ")
end
print()
print(os.setlocale("C"), os.setlocale("POSIX"), os.setlocale("C", "time"))
print(os.setlocale(""), os.setlocale("", "numeric"))  -- LC_ALL=C
print(os.setlocale("C"))
print(os.setlocale("no_such_LOCALE.utf-42"))
print(os.setlocale("no_such_LOCALE.utf-42", "ctype"))
print(pcall(os.setlocale, nil, "everything"))
print(pcall(os.setlocale, {}))
print(pcall(os.setlocale, "C", 42))

print("execute")
print(os.execute())
print(os.execute("true"))
print(os.execute("exit 3"))
print(os.execute("exit 255"))
print(os.execute("echo from the shell"))
print(os.execute("kill -9 $$"))
print(os.execute("kill -TERM $$"))
print(os.execute("exec ./no-such-program-here 2>/dev/null"))
print(pcall(os.execute, {}))

print("clock")
local c = os.clock()
print(type(c), c >= 0, os.clock() >= c)
