-- A module that returns false: false is stored, and loaded again later.
FALSY_LOADS = (FALSY_LOADS or 0) + 1
return false
