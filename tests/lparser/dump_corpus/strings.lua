-- String constants: escapes of every kind, bytes above 127, a long string
-- bracket, and long strings beyond the short-string limit.
local esc = "tab\tnl\nquote\"back\\bell\aff\fvt\vcr\rnul\0end"
print(#esc, esc:byte(1, -1))
local bytes = "\200\201\255\127\1\31"
print(#bytes, bytes:byte(1, -1))
local long = [[
a long bracket string
spanning lines, with "quotes" and \ backslashes]]
print(#long, long:sub(1, 6))
local forty = "0123456789012345678901234567890123456789"
local fortyone = forty .. "x"
local literal41 = "01234567890123456789012345678901234567890"
print(#forty, #fortyone, #literal41, literal41 == fortyone)
local rep = string.rep("abc", 5000)
print(#rep, rep:sub(-6))
print(("%5.2f|%-5d|%q"):format(3.14159, 42, "a\nb"))
print(("hello world"):upper(), ("x"):rep(3, ","))
print(string.format("%g %g %g", 1e15, 1e16, 0.1))
print(#"\u{10FFFF}", "\x41\66\z
       C")
