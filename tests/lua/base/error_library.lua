-- Ends with an argument error in a library function called from the main
-- chunk: the traceback names the C function by its library path
-- ("function 'coroutine.status'"). Exit status 1; standard error contains
-- the script path.
local ok = pcall(coroutine.status, nil)
print(ok)
coroutine.status(1)
