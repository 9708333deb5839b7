-- needs: package debug
-- package.loadlib: the fail, message, "open"/"init" results, loading a
-- library's opening function by hand, "*" for a library alone, and the
-- registry table that keeps the libraries open.

print(package.loadlib("./no-such-library.so", "luaopen_x"))
print(package.loadlib("./_mods/plain.lua", "luaopen_x") == nil)
local _, msg, where = package.loadlib("./_mods/plain.lua", "luaopen_x")
print("not a library", type(msg), where)

-- Debian's lpeg, found along the default cpath
local lpegfile = package.searchpath("lpeg", package.cpath)
print("lpeg found", lpegfile ~= nil)

local f, err, stage = package.loadlib(lpegfile, "no_such_function")
print("missing symbol", f, err == lpegfile .. ": undefined symbol: no_such_function", stage)

local open = package.loadlib(lpegfile, "luaopen_lpeg")
print("opener", type(open))
local lpeg = open()
print("opened", type(lpeg), type(lpeg.match), lpeg.match(lpeg.P("ab"), "abc"))
print("same function again", package.loadlib(lpegfile, "luaopen_lpeg") == open)

print("only the library", package.loadlib(lpegfile, "*"))

-- the handles, kept in the registry by file name and in order
local clibs = debug.getregistry()._CLIBS
print("CLIBS", type(clibs), #clibs, type(clibs[lpegfile]), clibs[1] == clibs[lpegfile])
print("CLIBS finalizer", type(getmetatable(clibs).__gc))

print(pcall(package.loadlib))
print(pcall(package.loadlib, lpegfile))
print(pcall(package.loadlib, lpegfile, {}))
