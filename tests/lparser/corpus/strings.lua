-- Strings: escapes, long strings, methods, formatting, patterns.
local s = "tab\tnewline\nquote\"backslash\\bell\a"
local l = [[
long string
with two lines]]
local l2 = [==[
contains ]] and ]=] inside]==]
local u = "\u{48}\u{49}\x41\65\z
           continued"
local e = ""
local big = "a string constant that is longer than forty bytes, a long string"
print(s:upper(), s:lower(), s:len(), #s, s:sub(2, -2), s:rep(3, ","))
print(("%d %5.2f %s %q"):format(1, 2.5, "x", "y\n"))
for w in ("one two three"):gmatch("%a+") do print(w) end
local r = ("hello world"):gsub("o", "0")
local a, b, c = ("key=value"):find("(%w+)=(%w+)")
print(string.byte("A"), string.char(72, 105), tostring(12) .. "" .. 1.5)
local parts = {}
for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do parts[k] = tonumber(v) end
local t = {s, l, l2, u, e, big, big .. big}
return t, r, a, b, c, parts
