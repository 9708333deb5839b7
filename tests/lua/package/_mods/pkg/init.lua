-- A package found through its init.lua, which requires a sibling.
local helper = require("pkg.helper")
return {init = true, helper = helper}
