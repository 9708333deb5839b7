-- needs: utf8 table
-- utf8.codes: the generic-for iteration over (position, code point),
-- strict and lax, strings with stray continuation bytes (skipped), the
-- "invalid UTF-8 code" error mid-loop, the iterator called by hand
-- with odd control values, and argument errors.
local function list(s, lax)
  local parts = {}
  for p, c in utf8.codes(s, lax) do parts[#parts + 1] = p .. ":" .. c end
  return table.concat(parts, " ")
end

print(list("hello"))
print(list("a\u{E9}b\u{4E2D}c\u{1F600}"))
print(list(""))
print(list("\0x\0"))
print(list("\x80abc"))        -- a leading stray continuation byte is skipped
print(list("a\x80"))
print(list("a\x80\x80b"))
print(list("\xED\xA0\x80z", true))
print(list("\xF4\x90\x80\x80", 1))
print(list("\xFD\xBF\xBF\xBF\xBF\xBF", true))
print(list("x\u{10FFFF}"))

local function try(s, lax)
  print(pcall(list, s, lax))
end
try("ab\xFF")
try("ab\xE4\xB8")             -- truncated at the end
try("\xED\xA0\x80")           -- surrogate, strict
try("\xF4\x90\x80\x80")       -- beyond 0x10FFFF, strict
try("\xC0\x80", true)         -- overlong, even lax
try("ok\xFEok", true)
-- the error comes from the iterator, in the middle of the loop
local seen = {}
print(pcall(function()
  for p, c in utf8.codes("ab\xFFc") do seen[#seen + 1] = p end
end))
print(table.concat(seen, " "))

-- the iterator, its state and the initial control value
local f, str, ctl = utf8.codes("h\u{E9}")
print(type(f), str == "h\u{E9}", ctl)
print(f(str, 0))
print(f(str, 1))
print(f(str, 2))             -- skips the continuation byte at 3
print(f(str, 3))
print(f(str, 100), f(str, -1))
local g = utf8.codes("x", true)
print(g("x", 0), f ~= g, utf8.codes("y") == f)

print(pcall(utf8.codes))
print(pcall(utf8.codes, {}))
print(select("#", utf8.codes(12)), select(2, utf8.codes(12)))  -- a number converts
print(pcall(f, nil, 0))
print(pcall(function() for _ in utf8.codes(nil) do end end))
