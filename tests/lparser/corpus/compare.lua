-- Comparisons, conditions, and boolean values from jumps.
local a, b, s = 1, 2, "str"
local x
x = a == b
x = a ~= b
x = a < b
x = a <= b
x = a > b
x = a >= b
x = a == 1
x = a ~= 1
x = 1 == a
x = a == 1.0
x = a == 1.5
x = a == "str"
x = "str" == a
x = a == nil
x = a == true
x = a == false
x = a < 1
x = a <= 1
x = a > 1
x = a >= 1
x = 1 < a
x = 1 <= a
x = 1 > a
x = 1 >= a
x = a < 1.0
x = 2.0 > a
x = a < 1.5
x = a < 1000
x = a < s
x = not a
x = not not a
x = not (a == b)
x = not nil
x = not 1
x = a and b
x = a or b
x = a and b or s
x = (a < b) and (b < s) or (a == s)
x = a == b == s
x = nil and a
x = false or a
x = 1 and a
x = a and 1
x = a or 1
x = a and nil
x = a or (b and s)
if a then x = 1 end
if not a then x = 2 end
if a == b then x = 3 elseif a < b then x = 4 else x = 5 end
if a and b then x = 6 end
if a or b then x = 7 end
if a < b and b < s or s then x = 8 end
if nil then x = 9 end
if 1 then x = 10 end
if not (a and b) then x = 11 end
while a < b do a = a + 1 end
repeat b = b - 1 until b < 0 or a > 10
x = a < b and "yes" or "no"
x = s .. (a == b and "eq" or "ne")
local y = a > b
local z = not (a >= b)
