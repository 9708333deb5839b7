-- Requires cyclic_b, which requires this module while it is loading.
package.loaded.cyclic_a = "partial a"
local b = require "cyclic_b"
return "a saw " .. b
