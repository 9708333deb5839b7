-- Table constructors, indexing, SETLIST with EXTRAARG, and field access.
local t = {}
local u = {1, 2, 3}
local v = {x = 1, y = 2, [3] = 4, ["z"] = 5}
local w = {1, 2, x = 3, 4; 5, [10] = 6, f(), g()}
local mv = {f()}
local va = {...}
local nested = {{1, 2}, {3, {4, 5}}, a = {b = {c = 1}}}
local k = {[1.5] = 1, [true] = 2, [false] = 3, [-1] = 4, [0] = 5, [255] = 6, [256] = 7}
t.a = 1
t.b.c = 2
t[1] = 3
t[255] = 4
t[256] = 5
t[-1] = 6
t[1.0] = 7
t[1.5] = 8
t[true] = 9
t["long key that is definitely longer than forty bytes ok"] = 10
t[u] = 11
t[u[1]] = u[2]
local x = t.a + t[1] + t[u] + t["a"] + t[300] + t.b.c.d
x = t[nil]
t.x, t.y = t.y, t.x
u[1], u[2], u[3] = 1, 2
local big = {
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60,
  61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80,
  81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100,
  101, 102, 103, 104, 105, 106, 107, 108, 109, 110, f()
}
local h = {a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9}
local mixed = {1, a = 2, 3, b = 4, 5, c = 6, ...}
return t, u, v, w, mv, va, nested, k, big, h, mixed
