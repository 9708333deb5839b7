-- Runs LuaUnit's own test suite, test_luaunit.lua from lua-unit's
-- examples, which defines its tests but leaves running them to a driver.
-- run.py copies the suite to test/test_luaunit.lua in the scratch folder:
-- some of its tests expect error messages to name that path. The command
-- line (for instance -v) goes to LuaUnit; the exit status is its count of
-- failed tests.
local lu = require('luaunit')
dofile('test/test_luaunit.lua')
os.exit(lu.LuaUnit.run(...))
