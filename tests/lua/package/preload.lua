-- needs: package debug
-- package.preload: loaders found before any path, the ":preload:"
-- loader data, caching, errors in preload loaders, and the registry
-- table behind package.preload.

package.path = ""
package.cpath = ""

local calls = 0
package.preload.alpha = function(name, data)
  calls = calls + 1
  return {name = name, data = data}
end
local alpha, data = require "alpha"
print("alpha", alpha.name, alpha.data, data, calls)
print("cached", require "alpha" == alpha, calls)

package.preload["dotted.name"] = function(...) return select("#", ...), ... end
print("dotted", require "dotted.name")

package.preload.returns_nil = function() end
print("nil result", require "returns_nil", package.loaded.returns_nil)

package.preload.raises = function() error("preload failure", 0) end
print(pcall(require, "raises"))
print("not cached after error", package.loaded.raises)

package.preload.raises_table = function() error({code = 7}) end
local ok, err = pcall(require, "raises_table")
print("error object", ok, type(err), err.code)

-- a preload entry that is not a function: searchers reject non-functions
package.preload.notfunc = 42
print(pcall(require, "notfunc"))

-- package.preload is the registry's _PRELOAD
print("registry", debug and debug.getregistry()._PRELOAD == package.preload)
local saved = package.preload
package.preload = {beta = function() return "beta" end}
print(pcall(require, "beta"))
saved.beta = function() return "beta from registry" end
print("registry table used", require "beta")
