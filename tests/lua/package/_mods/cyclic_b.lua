-- Sees cyclic_a's partial value in package.loaded.
return "b saw " .. tostring(require "cyclic_a")
