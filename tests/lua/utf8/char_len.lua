-- needs: utf8
-- utf8.char (one and many values, the 1- to 6-byte forms up to
-- 0x7FFFFFFF, "value out of range"), utf8.charpattern, and utf8.len
-- (ranges, negative positions, invalid sequences returning fail and the
-- position, lax mode, and the out-of-bounds errors). Encodings are
-- compared with escaped literals and shown by their length.
local function enc(...)
  local s = utf8.char(...)
  return #s, s
end

print(enc(72, 105))
print(enc(0x41) == 1, utf8.char(0x41) == "A", utf8.char() == "")
print(utf8.char(0) == "\0", utf8.char(0x7F) == "\x7F")
print(utf8.char(0x80) == "\xC2\x80", utf8.char(0x7FF) == "\xDF\xBF")
print(utf8.char(0x800) == "\xE0\xA0\x80", utf8.char(0xFFFF) == "\xEF\xBF\xBF")
print(utf8.char(0x10000) == "\xF0\x90\x80\x80")
print(utf8.char(0x10FFFF) == "\xF4\x8F\xBF\xBF", utf8.char(0x10FFFF) == "\u{10FFFF}")
print(utf8.char(0x110000) == "\xF4\x90\x80\x80")
print(utf8.char(0x1FFFFF) == "\xF7\xBF\xBF\xBF")
print(utf8.char(0x200000) == "\xF8\x88\x80\x80\x80")
print(utf8.char(0x3FFFFFF) == "\xFB\xBF\xBF\xBF\xBF")
print(utf8.char(0x4000000) == "\xFC\x84\x80\x80\x80\x80")
print(utf8.char(0x7FFFFFFF) == "\xFD\xBF\xBF\xBF\xBF\xBF", utf8.char(0x7FFFFFFF) == "\u{7FFFFFFF}")
print(utf8.char(0xD800) == "\xED\xA0\x80")
print(utf8.char(72, 0xE9, 0x4E2D, 0x1F600) == "H\u{E9}\u{4E2D}\u{1F600}")
print(#utf8.char(0x4E2D, 0x4E2D, 0x4E2D), utf8.char(65.0, "66"))
print(utf8.char(0x48, 0x49))
print(utf8.char(0x4E2D), utf8.char(0x1F600))

print(#utf8.charpattern, utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")

print(utf8.len(""), utf8.len("abc"), utf8.len("h\u{E9}llo"), utf8.len("\u{4E2D}\u{6587}"))
print(utf8.len("\u{10FFFF}\u{7FF}\u{80}"))
local s = "a\u{E9}b\u{4E2D}c"          -- bytes: a, e9(2), b, 4e2d(3), c
print(#s, utf8.len(s), utf8.len(s, 2), utf8.len(s, 3), utf8.len(s, 5))
print(utf8.len(s, 1, 1), utf8.len(s, 1, 2), utf8.len(s, 1, 3), utf8.len(s, 2, 2))
print(utf8.len(s, -1), utf8.len(s, -4), utf8.len(s, -8), utf8.len(s, 1, -2))
print(utf8.len(s, #s + 1), utf8.len(s, 4, 3), utf8.len("", 1), utf8.len("", 1, 0))

-- invalid sequences: fail and the byte position of the first bad one
print(utf8.len("ab\xFFcd"))
print(utf8.len("\x80"))
print(utf8.len("abc\xE4\xB8"))
print(utf8.len("\xC0\x80"))                -- overlong
print(utf8.len("\xE0\x80\x80"))            -- overlong
print(utf8.len("\xF0\x80\x80\x80"))        -- overlong
print(utf8.len("\xC2"))                    -- truncated at the end
print(utf8.len("\xC2A"))                   -- continuation missing
print(utf8.len("x\xED\xA0\x80"))          -- surrogate: strict only
print(utf8.len("x\xED\xA0\x80", 1, -1, true))
print(utf8.len("\xF4\x90\x80\x80"))        -- above 0x10FFFF
print(utf8.len("\xF4\x90\x80\x80", 1, -1, true))
print(utf8.len("\xFD\xBF\xBF\xBF\xBF\xBF", 1, -1, true))
print(utf8.len("\xFE\x80\x80\x80\x80\x80\x80", 1, -1, true))
print(utf8.len("\xFF", 1, -1, true))
print(utf8.len("\xF8\x80\x80\x80\x80", 1, -1, true))  -- overlong 5-byte
print(utf8.len("ok\xFF", 1, 2), utf8.len("\xFFok", 2))

local function check(f, ...)
  print(pcall(f, ...))
end
check(utf8.char, 0x80000000)
check(utf8.char, -1)
check(utf8.char, 65, -1)
check(utf8.char, 65, 0x7FFFFFFF + 1, 66)
check(utf8.char, 1.5)
check(utf8.char, "x")
check(utf8.char, 65, nil)
check(utf8.len)
check(utf8.len, {})
check(utf8.len, "abc", 0)
check(utf8.len, "abc", 5)
check(utf8.len, "abc", -5)
check(utf8.len, "abc", -100, 1)
check(utf8.len, "abc", 1, 4)
check(utf8.len, "abc", 1, 1.5)
check(function() return utf8.len("abc", 1, 10) end)
check(function() return utf8.char(-2) end)
