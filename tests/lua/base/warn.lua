-- warn: off by default, switched by "@on"/"@off", pieces joined into one
-- message on standard error, and the argument errors.

warn("not shown: warnings start off")
warn("@on")
warn("one piece")
warn("several ", "pieces ", "joined")
warn("@unknown control is ignored")
warn("number pieces: ", 1, " ", 2.5)
warn("@off")
warn("not shown: off again")
warn("@on")
warn("@on")
warn("shown once")

print(pcall(warn))
print(pcall(warn, {}))
print(pcall(warn, "a", {}))
print(pcall(warn, "a", nil))
print(pcall(warn, nil))
warn("after errors ", "nothing was half-written")
print("done")
