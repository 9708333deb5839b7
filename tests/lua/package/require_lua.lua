-- needs: package
-- require of Lua modules along package.path: the loader's arguments, the
-- second result, caching in package.loaded, modules that return nothing
-- or false, submodules, init.lua, cycles, and loading errors.

package.path = "./_mods/?.lua;./_mods/?/init.lua"

local plain, where = require "plain"
print("plain", plain.name, plain.file, plain.loads, where)
local again, where2 = require "plain"
print("cached", again == plain, LOADS, where2)
print("in loaded", package.loaded.plain == plain)

print("nothing", require "nothing", NOTHING_RAN, package.loaded.nothing)
print("selfreg", require("selfreg").registered)

print("falsy", require "falsy", FALSY_LOADS)
print("falsy again", require "falsy", FALSY_LOADS)

local leaf, leafwhere = require "sub.leaf"
print("submodule", leaf.leaf, leaf.from, leafwhere)

local pkg, pkgwhere = require "pkg"
print("init.lua", pkg.init, pkg.helper, pkgwhere)
print("helper loaded", package.loaded["pkg.helper"])

print("cycle", require "cyclic_a")

-- package.loaded entries are removable: the module loads again
package.loaded.plain = nil
print("reloaded", require("plain").loads)

-- a preset package.loaded value wins over the file
package.loaded.preset = "preset value"
print("preset", require "preset")

-- the standard libraries are in package.loaded
print("libs", package.loaded._G == _G, package.loaded.package == package,
  package.loaded.coroutine == coroutine, package.loaded.debug == debug)

-- errors while loading
print(pcall(require, "syntax"))
print(pcall(require, "fails"))
print(pcall(require))
print(pcall(require, {}))

-- the default path includes ./?.lua: a dotted name reaches a subfolder
package.path = "./?.lua"
print("dotted", select(2, require "_mods.sub.leaf"))
