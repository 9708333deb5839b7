// Diagram generator for chapter 10's viz library: a host that runs a Lua
// program and prints what `viz.closure` draws in the middle of it. Two
// closures share the local `n` of the function that made them, which is
// still running, so their one upvalue is open and names its stack slot.
#include <cstdio>

#include "lapi/lauxlib.h"
#include "lapi/lualib.h"
#include "lib/lvizlib.hpp"

namespace {

constexpr const char* kProgram = R"(
local viz = require "viz"
local function counter()
  local n = 0
  local function inc() n = n + 1 end
  local function get() return n end
  inc()
  local drawing = viz.closure(inc, get)  -- n is still open here
  return drawing
end
return counter()
)";

}  // namespace

int main() {
  lua_State* L = luaL_newstate();
  if (L == nullptr) return 1;
  luaL_openlibs(L);
  viz_preload(L);
  const bool ok = luaL_dostring(L, kProgram) == LUA_OK;
  std::fputs(lua_tostring(L, -1), ok ? stdout : stderr);
  lua_close(L);
  return ok ? 0 : 1;
}
