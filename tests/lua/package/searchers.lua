-- needs: package
-- package.searchers: the four standard searchers, custom searchers and
-- their results (loader and data, a message, nothing), a missing or
-- broken searchers table, and package.path or cpath not strings.

package.path = "./_mods/?.lua"
package.cpath = ""

print("count", #package.searchers)
for i = 1, #package.searchers do
  print("searcher", i, type(package.searchers[i]))
end

-- the standard searchers called directly
local loader, file = package.searchers[2]("plain")
print("lua searcher", type(loader), file)
print("lua searcher miss", package.searchers[2]("absent"))
print("preload searcher", package.searchers[1]("absent"))
print("C searcher miss", package.searchers[3]("absent"))
print("Croot plain name", select("#", package.searchers[4]("absent")))
print("Croot dotted", package.searchers[4]("absent.sub"))
print(pcall(package.searchers[2]))

-- a custom searcher in front
table_of_virtual = {virtual = "virtual module"}
local searchers = package.searchers
for i = #searchers, 1, -1 do searchers[i + 1] = searchers[i] end
searchers[1] = function(name)
  if table_of_virtual[name] then
    return function(n, extra) return table_of_virtual[n] .. " via " .. extra end, "custom data"
  end
  return "no virtual module '" .. name .. "'"
end
print("virtual", require "virtual")
print(pcall(require, "missing"))

-- searchers that return nothing, a number, or a non-function value
searchers[1] = function() end
print(pcall(require, "missing2"))
searchers[1] = function() return 42 end
print(pcall(require, "missing3"))
searchers[1] = function() return true end
print(pcall(require, "missing4"))

-- only a custom searcher
package.searchers = {function(name) return nil end}
print(pcall(require, "nowhere"))
package.searchers = {}
print(pcall(require, "nowhere"))
package.searchers = "not a table"
print(pcall(require, "nowhere"))
package.searchers = searchers

-- the searchers hold the package table, not the global
searchers[1] = function() end
local pkg = package
package = nil
local ok, mod, where = pcall(require, "plain")
print("without global", ok, mod.name, where)
package = pkg

-- package.path and cpath must be strings
package.loaded.plain = nil
package.path = 1
print("numeric path", pcall(require, "plain"))
package.path = nil
print(pcall(require, "plain"))
package.path = "./_mods/?.lua"
package.cpath = {}
print(pcall(require, "nosuchmodule"))
