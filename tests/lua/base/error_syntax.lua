-- A script that does not compile: the interpreter prints the syntax error
-- (with the script path) and no traceback, exit status 1, and runs nothing.
print("never printed")
local x = = 1
