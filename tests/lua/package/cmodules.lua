-- needs: package
-- Debian's C modules through require: lpeg, cjson (and its cjson.safe,
-- found by the Croot searcher in cjson.so), lfs, and re (a Lua module on
-- the default path that uses lpeg); the loader data; the "-" mark.

local lpeg, lpegfile = require "lpeg"
print("lpeg data", lpegfile == package.searchpath("lpeg", package.cpath))
local C, R, P, Ct = lpeg.C, lpeg.R, lpeg.P, lpeg.Ct
local number = C(R"09"^1) / tonumber
local list = Ct(number * ("," * number)^0) * -P(1)
local t = list:match("10,20,30")
print("lpeg list", #t, t[1], t[2], t[3], list:match("1,x"))
print("lpeg type", lpeg.type(list), lpeg.type(1))
print(pcall(lpeg.match))

local cjson, cjsonfile = require "cjson"
print("cjson data", cjsonfile == package.searchpath("cjson", package.cpath))
print("encode", cjson.encode({1, 2, 3}), cjson.encode({key = "value"}))
local decoded = cjson.decode('{"list": [1, 2.5, "x"], "flag": true}')
print("decode", decoded.list[1], decoded.list[2], decoded.list[3], decoded.flag)
print(pcall(cjson.decode, "{bad"))
print(pcall(cjson.encode, print))

-- cjson.safe: luaopen_cjson_safe inside cjson.so, through the Croot searcher
local safe, safefile = require "cjson.safe"
print("cjson.safe", type(safe.decode), safefile == cjsonfile, safe ~= cjson)
print("safe decode", safe.decode("{bad"))

local lfs = require "lfs"
print("lfs", lfs.attributes("_mods", "mode"), lfs.attributes("_mods/sub/leaf.lua", "mode"))
print("lfs missing", lfs.attributes("_mods/none"))
local names = {}
for name in lfs.dir("_mods/pkg") do
  local i = #names + 1
  while i > 1 and names[i - 1] > name do names[i] = names[i - 1]; i = i - 1 end
  names[i] = name
end
print("lfs dir", #names, names[1], names[2], names[3], names[4])
print(pcall(lfs.dir, "_mods/none"))

local re, refile = require "re"
print("re", refile, re.match("key = value", "{%w+} ' '* '=' ' '* {%w+}"))

-- a module in a dotted name whose root library lacks the function
print(pcall(require, "lpeg.nothing"))

-- the "-" mark: "X-Y" opens luaopen_X, or else luaopen_Y
package.cpath = lpegfile  -- a template without a mark: every name finds it
local v2 = require "lpeg-v2"
print("mark, first part", type(v2.match), v2 == lpeg)
local old = require "v1-lpeg"
print("mark, second part", type(old.match))
print(pcall(require, "x-y"))
