-- Tables: NEWTABLE, GETTABLE GETI GETFIELD, SETTABLE SETI SETFIELD,
-- GETTABUP SETTABUP (globals), SETLIST (incl. the EXTRAARG form for a
-- constructor over 255 items, and open results from calls and varargs),
-- key normalisation (1.0 is 1), and the errors for nil and NaN keys.

local function try(label, f) print(label, pcall(f)) end

-- sorted keys, so printing does not depend on the hash order
local function keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  for a = 2, #ks do
    local k, b = ks[a], a - 1
    while b >= 1 and tostring(ks[b]) > tostring(k) do
      ks[b + 1] = ks[b]; b = b - 1
    end
    ks[b + 1] = k
  end
  return ks
end
local function dump(label, t)
  local s = label .. " {"
  for _, k in ipairs(keys(t)) do
    s = s .. " [" .. tostring(k) .. "]=" .. tostring(t[k])
  end
  print(s .. " }")
end

local t = {}
t[1] = "a"; t[2] = "b"; t.x = "field"; t["y z"] = "spaced"
local k = 3
t[k] = "c"; t[k + 0.0 + 1] = "d"        -- 4.0 normalises to 4
t[2^53] = "float key"; t[0.5] = "half"; t[-1] = "neg"
t[true] = "yes"; t[false] = "no"
dump("t", t)
print(t[1], t[2.0], t[3], t[4], t[k], t.x, t["x"], t["y z"],
      t[0.5], t[2^53], t[9007199254740992], t[-1], t[true], t[false])
print("absent", t[100], t.nothing, t[1.5], t[false == true])
-- immediate and constant indices (GETI/SETI, GETFIELD/SETFIELD)
local arr = {}
for n = 1, 10 do arr[n] = n * n end
arr[255] = "i255"; arr[256] = "i256"
print(arr[1], arr[10], arr[11], arr[255], arr[256])
-- overwrite and delete
t.x = nil; t[1] = "A"; t[true] = nil
dump("t'", t)

-- constructors: list part, hash part, computed keys, trailing separator
local c = { 1, 2, 3; x = 1, ["y"] = 2, [10] = 10, [1 + 1] = "two?", 4, }
dump("c", c)
local nested = { { 1, { 2, { 3 } } }, { a = { b = { c = "deep" } } } }
print(nested[1][2][2][1], nested[2].a.b.c)
-- open results fill the list (SETLIST with multret)
local function three() return 1, 2, 3 end
local function none() end
local r1 = { three() }
local r2 = { three(), three() }
local r3 = { (three()) }
local r4 = { three(), 10 }
local r5 = { none() }
local r6 = { none(), none(), 5 }
print(#r1, #r2, #r3, #r4, #r5, r6[1], r6[2], r6[3])
local function pack(...) return { n = select("#", ...), ... } end
local p = pack(1, nil, 3, nil)
print("pack", p.n, p[1], p[2], p[3], p[4])
local p2 = pack()
print("empty pack", p2.n, p2[1])
-- over 50 items (several SETLIST flushes)
local sixty = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
  18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
  36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53,
  54, 55, 56, 57, 58, 59, 60, three() }
print("sixty", #sixty, sixty[50], sixty[51], sixty[60], sixty[63])
-- over 255 items: the SETLIST index needs EXTRAARG
local big = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
  19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
  37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54,
  55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72,
  73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90,
  91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106,
  107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121,
  122, 123, 124, 125, 126, 127, 128, 129, 130, 131, 132, 133, 134, 135, 136,
  137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151,
  152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166,
  167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181,
  182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 194, 195, 196,
  197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211,
  212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224, 225, 226,
  227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241,
  242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 256,
  257, 258, 259, 260, 261, 262, 263, 264, 265, 266, 267, 268, 269, 270, 271,
  272, 273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283, 284, 285, 286,
  287, 288, 289, 290, 291, 292, 293, 294, 295, 296, 297, 298, 299, 300}
local sum = 0
for n = 1, #big do sum = sum + big[n] end
print("big", #big, big[1], big[255], big[256], big[300], sum)
  
-- globals are fields of _ENV (GETTABUP/SETTABUP)
gx = 10
gy = gx + 1
print("globals", gx, gy, _ENV.gx, _G.gy, rawget(_G, "gx"))
gx, gy = nil, nil
print("cleared", gx, gy)
local env = { print = print }
do
  local _ENV = env
  newglobal = "in env"
  print("inner", newglobal)
end
print("outer", newglobal, env.newglobal)

-- errors
try("nil key", function() local tt = {} tt[nil] = 1 end)
try("nan key", function() local tt = {} local z = 0 tt[z / z] = 1 end)
try("nil key in constructor", function() return { [nil] = 1 } end)
try("read nil key", function() local tt = {} return tt[nil] end)
try("read nan key", function() local tt, z = {}, 0 return tt[z / z] end)
try("index number", function() local num = 1 return num.x end)
try("index nil global", function() return undefined_global.x end)
try("set on nil field", function() local tt = {} tt.a.b = 1 end)
try("set on nil upvalue", function() local _ = t; nested.x.y = 1 end)
try("set on boolean", function() local bo = true bo[1] = 2 end)
