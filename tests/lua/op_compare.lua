-- Comparison opcodes: EQ LT LE (registers), EQK (constant), EQI LTI LEI
-- GTI GEI (immediates), used both as values (LFALSESKIP/LOADTRUE) and in
-- jumps; exact comparisons between integers and floats; NaN; strings; and
-- the errors for values that cannot be ordered.

local function try(label, f) print(label, pcall(f)) end

local i, f, big = 3, 3.0, 2^53
local maxint = 0x7fffffffffffffff
local z = 0
local nan = z / z
local inf = 1 / z

-- as values
print("i==f", i == f, "i~=f", i ~= f, "i<f", i < f, "i<=f", i <= f)
print("i>2", i > 2, "i>=3", i >= 3, "i<4", i < 4, "i<=2", i <= 2)
print("i==3", i == 3, "i~=3", i ~= 3, "f==3", f == 3, "f==3.5", f == 3.5)
print("i==\"3\"", i == "3", "i==nil", i == nil, "i==true", i == true)
print("2<i", 2 < i, "2<=i", 2 <= i, "4>i", 4 > i, "3>=f", 3 >= f)
print("-1<i", -1 < i, "i>-129", i > -129, "i<1000", i < 1000)
print("f<3.5", f < 3.5, "f>2.5", f > 2.5, "f<=3.0", f <= 3.0)
-- in jumps
local function classify(x)
  if x < 0 then return "neg"
  elseif x == 0 then return "zero"
  elseif x <= 10 then return "small"
  elseif x >= 1000 then return "huge"
  elseif x > 100 then return "big"
  else return "medium" end
end
print(classify(-5), classify(0), classify(0.0), classify(-0.0),
      classify(10), classify(10.5), classify(50), classify(101),
      classify(1000), classify(inf), classify(-inf), classify(nan))

-- integers against floats, exactly (no rounding of the integer)
local b1 = 9007199254740993  -- 2^53 + 1, not representable as a float
print("2^53+1 == 2^53", b1 == big, "2^53+1 > 2^53", b1 > big,
      "2^53 < 2^53+1", big < b1, "2^53+1 <= 2^53", b1 <= big)
print("maxint < 2^63", maxint < 2^63, "maxint == 2^63", maxint == 2^63,
      "maxint+0.0 == 2^63", maxint + 0.0 == 2^63)
print("minint == -2^63", (-maxint - 1) == -2^63, "minint < -2^63",
      (-maxint - 1) < -2^63, "minint <= -2^63", (-maxint - 1) <= -2^63)
print("1 < 1.5", 1 < 1.5, "2 > 1.5", 2 > 1.5, "-1 < -0.5", -1 < -0.5,
      "1 <= 0.9999999999999999", 1 <= 0.9999999999999999)
print("i < inf", i < inf, "i > -inf", i > -inf, "maxint < inf",
      maxint < inf, "-0.0 == 0", -0.0 == 0, "-0.0 < 0", -0.0 < 0)
-- NaN is unordered and unequal to itself
print("nan==nan", nan == nan, "nan~=nan", nan ~= nan, "nan<1", nan < 1,
      "nan>1", nan > 1, "nan<=nan", nan <= nan, "1>=nan", 1 >= nan,
      "nan<i", nan < i, "i<=nan", i <= nan, "nan==0", nan == 0)
print("not(nan<1)", not (nan < 1), "not(nan>=1)", not (nan >= 1))

-- strings compare by bytes; never equal to numbers
local s1, s2 = "abc", "abd"
print("s1<s2", s1 < s2, "s1<=s1", s1 <= s1, "s2>s1", s2 > s1,
      "''<'a'", "" < "a", "'a'<'ab'", "a" < "ab", "'Z'<'a'", "Z" < "a")
print("'10'<'9'", "10" < "9", "'a\\0b'<'a\\0c'", "a\0b" < "a\0c",
      "'a'<'a\\0'", "a" < "a\0", "s1=='abc'", s1 == "abc")
print("'1'==1", "1" == 1, "1=='1'", 1 == "1")

-- other types: equality by identity
local t1, t2 = {}, {}
local function fn() end
print("t1==t1", t1 == t1, "t1==t2", t1 == t2, "t1~=t2", t1 ~= t2,
      "fn==fn", fn == fn, "true==true", true == true, "nil==false",
      nil == false)

-- errors
try("1<nil", function() return 1 < nil end)
try("i<nil local", function() local x return i < x end)
try("nil>=1", function() local x return x >= 1 end)
try("t<t", function() return t1 < t2 end)
try("t<=t", function() return t1 <= t2 end)
try("'a'<1", function() return "a" < 1 end)
try("1<'a'", function() return 1 < s1 end)
try("2>'1'", function() return 2 > "1" end)
try("true<false", function() return true < false end)
try("fn<fn", function() return fn < fn end)
try("{}<1", function() return t1 < 1 end)
try("i<{} in if", function() if i < t1 then return 1 end return 2 end)
try("f>={}", function() if f >= t1 then return 1 end return 2 end)
try("nil<3 imm", function() local x if x < 3 then return 1 end end)
try("nil>3 imm", function() local x if x > 3 then return 1 end end)
try("nil<=3 imm", function() local x if x <= 3 then return 1 end end)
try("nil>=3.5 K", function() local x if x >= 3.5 then return 1 end end)
try("'x'<=3", function() local x = "x" return x <= 3 end)
