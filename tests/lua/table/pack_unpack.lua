-- needs: table math
-- table.pack and table.unpack: the n field, nils inside and at the end,
-- ranges (default, explicit, empty, negative, at the integer limits),
-- __index and __len on unpack, and "too many results to unpack".
local p = table.pack()
print(p.n, #p, next(p))
p = table.pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])
p = table.pack("a", "b", "c")
print(p.n, p[1], p[2], p[3], p[4])

print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 3))
print(table.unpack({1, 2, 3}, 3, 5))
print(select("#", table.unpack({}, 1, 0)))
print(select("#", table.unpack({1, 2}, 5, 4)))
print(select("#", table.unpack({1, nil, 3})))
print(table.unpack({[-1] = "m", [0] = "z", "o"}, -1, 1))
print(table.unpack({[math.maxinteger] = "top"}, math.maxinteger,
  math.maxinteger))
print(select("#", table.unpack({[math.maxinteger] = "top"}, math.maxinteger)))
print(table.unpack({[math.mininteger] = "bottom"}, math.mininteger,
  math.mininteger))
print(table.unpack({n = 2, 1, 2, 3}, 1, nil))
print(table.unpack({1, 2, 3}, nil, 2))
print(table.unpack({1, 2, 3}, "2", "3"))
local packed = table.pack(table.unpack({1, 2, nil, 4}, 1, 4))
print(packed.n, packed[4])

-- unpack reads through __index and takes the length through __len
local proxy = setmetatable({}, {
  __index = function(_, k) return k * k end,
  __len = function() return 4 end,
})
print(table.unpack(proxy))
print(table.unpack(proxy, 3))
-- a long unpack (well below the limits)
local long = {}
for i = 1, 5000 do long[i] = i end
print(select("#", table.unpack(long)), select(5000, table.unpack(long)))

-- errors
print(pcall(table.unpack, {}, 1, 1e7))
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))
print(pcall(table.unpack, {}, 0, math.maxinteger))
print(pcall(table.unpack, {}, 1, 2^31))
print(pcall(table.unpack, {}, 1.5))
print(pcall(table.unpack, {}, 1, "x"))
print(pcall(table.unpack))
print(pcall(table.unpack, 5))
print(pcall(table.unpack, 5, 1, 0))
print(pcall(table.unpack, setmetatable({}, {__len = function() return 2.5 end})))
print(pcall(function() return table.unpack({}, 1, 1e8) end))
