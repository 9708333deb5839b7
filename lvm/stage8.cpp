// The stage-8 demo: the first stage that runs Lua programs.
//
//   stage8 [script.lua]
//
// There is no C API yet (chapter 9) and no standard library (chapter 10),
// so the demo runs on the test harness of chapter 8 (tests/lvm/support.hpp),
// which gives the globals a few C functions written against the
// interpreter's own stack: print, setmetatable, error, pcall, collect,
// yield and tostr. It runs the script (or a built-in one) and prints an
// error's message with exit status 1.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/lvm/support.hpp"

namespace {

// What this chapter adds, in a few lines each: calls and recursion,
// closures, metamethods, numeric loops, concatenation, errors.
const char* const kDemo = R"lua(
local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end
print("fib(20) =", fib(20))
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter()
c(); c()
print("counter:", c())
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
function V.show(v) return "V(" .. v.x .. ")" end
local v = setmetatable({x = 1}, V) + setmetatable({x = 2}, V)
print("metamethods:", v:show())
local s = ""
for i = 1, 5 do s = s .. i end
print("concat:", s, 7 // 2, 7 / 2, 2^10, 7 % -3)
print("pcall:", pcall(function() local t = nil; return t.x end))
)lua";

}  // namespace

int main(int argc, char** argv) {
  lua::test::Machine m(false);
  std::string code = kDemo;
  std::string name = "=demo";
  if (argc > 1) {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "stage8: cannot open %s\n", argv[1]);
      return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    code = text.str();
    name = std::string("@") + argv[1];
  }
  const int status = m.run(code, name.c_str());
  if (status != LUA_OK) std::fprintf(stderr, "stage8: %s\n", m.err.c_str());
  return status == LUA_OK ? 0 : 1;
}
