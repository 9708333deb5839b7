-- type: the name of every basic type, and its one error.

print(type(nil), type(true), type(0), type(0.5), type("s"))
print(type({}), type(print), type(function() end))
print(type(coroutine.create(function() end)))
print(type(type), type(type(nil)))
print(pcall(type))
print(select("#", type(1, 2, 3)))
print(type(setmetatable({}, {__name = "X"})))
