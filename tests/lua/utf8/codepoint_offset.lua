-- needs: utf8
-- utf8.codepoint (default and explicit ranges, negative positions, a
-- range ending inside a sequence, strict and lax decoding, "out of
-- bounds", "invalid UTF-8 code") and utf8.offset (forward, backward,
-- n = 0 inside a sequence, positions past the end, fail when there are
-- too few characters, "position out of bounds", "initial position is a
-- continuation byte").
local s = "a\u{E9}b\u{4E2D}c\u{1F600}"   -- byte starts: 1 2 4 5 8 9; #s = 12
print(#s, utf8.codepoint(s))
print(utf8.codepoint(s, 1, -1))
print(utf8.codepoint(s, 2), utf8.codepoint(s, 5), utf8.codepoint(s, 9))
print(utf8.codepoint(s, 4, 5))
print(utf8.codepoint(s, 5, 6))            -- a range ending inside a sequence
print(utf8.codepoint(s, -4), utf8.codepoint(s, -5))
print(select("#", utf8.codepoint(s, 3, 2)), select("#", utf8.codepoint("", 1, 0)))
print(select("#", utf8.codepoint(s, 13, 12)))  -- i = #s + 1: empty range
print(utf8.codepoint("\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}", 1, -1))
print(utf8.codepoint("\0\x7F"), utf8.codepoint("\0\x7F", 2))
print(utf8.codepoint("\xED\xA0\x80", 1, 1, true))
print(utf8.codepoint("\xF4\x90\x80\x80", 1, 1, true))
print(utf8.codepoint("\xFD\xBF\xBF\xBF\xBF\xBF", 1, 1, true))
print(utf8.codepoint("\xFC\x84\x80\x80\x80\x80", 1, 1, true))
print(utf8.codepoint("\xF8\x88\x80\x80\x80", 1, 1, true))
print(utf8.codepoint("abc", "2"), utf8.codepoint("abc", 2.0, 3.0))

local function check(f, ...)
  print(pcall(f, ...))
end
check(utf8.codepoint, s, 0)
check(utf8.codepoint, s, -13)
check(utf8.codepoint, s, 1, 13)
check(utf8.codepoint, s, 13)               -- j defaults to i
check(utf8.codepoint, s, 3)                 -- a continuation byte
check(utf8.codepoint, "\xED\xA0\x80")        -- surrogate, strict
check(utf8.codepoint, "\xF4\x90\x80\x80")    -- beyond 0x10FFFF, strict
check(utf8.codepoint, "\xC0\x80", 1, 1, true) -- overlong even when lax
check(utf8.codepoint, "\xE4\xB8", 1, 2)      -- truncated
check(utf8.codepoint, "\xFE", 1, 1, true)
check(utf8.codepoint, "ok\xFF", 1, -1)
check(utf8.codepoint)
check(utf8.codepoint, s, 1.5)
check(function() return utf8.codepoint("\xFF") end)

-- offset: the byte where the n-th character from position i starts
print(utf8.offset(s, 1), utf8.offset(s, 2), utf8.offset(s, 3), utf8.offset(s, 6))
print(utf8.offset(s, 7), utf8.offset(s, 8))  -- #s + 1, then fail
print(utf8.offset(s, -1), utf8.offset(s, -2), utf8.offset(s, -6), utf8.offset(s, -7))
print(utf8.offset(s, 2, 4), utf8.offset(s, 3, 4), utf8.offset(s, -1, 4), utf8.offset(s, -2, 5))
print(utf8.offset(s, 0, 1), utf8.offset(s, 0, 3), utf8.offset(s, 0, 7), utf8.offset(s, 0, 12))
print(utf8.offset(s, 0, 13), utf8.offset(s, 1, 13), utf8.offset(s, -1, 13), utf8.offset(s, 2, 13))
print(utf8.offset(s, 0, -1), utf8.offset(s, -1, -4), utf8.offset(s, 1, -4))
print(utf8.offset("", 1), utf8.offset("", 0), utf8.offset("", -1), utf8.offset("", 2))
print(utf8.offset("abc", 5), utf8.offset("abc", -4), utf8.offset("abc", -3))
print(utf8.offset("\x80\x80", 0, 2), utf8.offset("\x80\x80", 0, 1))
print(utf8.offset("a\x80\x80b", 2), utf8.offset("a\x80\x80b", -1))

check(utf8.offset, s, 1, 3)
check(utf8.offset, s, -1, 10)
check(utf8.offset, s, 1, 14)
check(utf8.offset, s, 1, 0)
check(utf8.offset, s, 1, -13)
check(utf8.offset, s)
check(utf8.offset, s, 1.5)
check(utf8.offset, nil, 1)
check(function() return utf8.offset("\u{E9}", 1, 2) end)
