// Coroutines driven through luaD_resume: yields and resumes carry
// values both ways, errors kill the coroutine, a dead one cannot resume.
#include <catch2/catch.hpp>

#include "lfunc/lstate.hpp"
#include "tests/lvm/support.hpp"

using namespace lua;
using namespace lua::test;

namespace {

// A coroutine whose body is `code` (a chunk returning a function), ready
// to be resumed. The thread stays anchored on the main stack.
lua_State* newcoroutine(Machine& m, const std::string& code) {
  REQUIRE(m.load(code) == LUA_OK);
  luaD_call(m.L, m.L->top - 1, 1);  // the chunk returns the body
  lua_State* co = luaE_newthread(m.L);
  setobj2s(co, co->top, s2v(m.L->top - 2));
  co->top++;
  return co;
}

// Resumes `co` with integer arguments and returns its status; `vals`
// gets the yielded or returned values, or the error object, as text.
int resume(Machine& m, lua_State* co, std::initializer_list<int> args,
           std::string& vals) {
  for (int a : args) {
    setivalue(s2v(co->top), a);
    co->top++;
  }
  int nres = 0;
  const int status = luaD_resume(co, m.L, static_cast<int>(args.size()), &nres);
  if (status != LUA_OK && status != LUA_YIELD) {
    // As lua_resume: only the error object on top counts (nres is not
    // set when the resume itself was refused).
    vals = tostr(s2v(co->top - 1));
    co->top--;
    return status;
  }
  vals.clear();
  for (int i = nres; i > 0; i--) {
    vals += tostr(s2v(co->top - i));
    if (i > 1) vals += ",";
  }
  co->top -= nres;
  return status;
}

}  // namespace

TEST_CASE("yield and resume pass values both ways", "[lvm]") {
  Machine m;
  lua_State* co = newcoroutine(m, R"(
    return function(a, b)
      local c = yield(a + b)
      local d, e = yield(c * 2)
      return d + e, "done"
    end
  )");
  std::string vals;
  CHECK(resume(m, co, {1, 2}, vals) == LUA_YIELD);
  CHECK(vals == "3");
  CHECK(resume(m, co, {10}, vals) == LUA_YIELD);
  CHECK(vals == "20");
  CHECK(resume(m, co, {3, 4}, vals) == LUA_OK);
  CHECK(vals == "7,done");
  CHECK(resume(m, co, {}, vals) == LUA_ERRRUN);
  CHECK(vals == "cannot resume dead coroutine");
}

TEST_CASE("a coroutine yields from nested Lua calls and metamethods", "[lvm]") {
  Machine m;
  lua_State* co = newcoroutine(m, R"(
    local mt = {__index = function(t, k) return yield(k) end,
                __add = function(a, b) return yield("add") end,
                __lt = function(a, b) return yield("lt") end,
                __concat = function(a, b) return yield("cat") end}
    local function inner(n) return yield(n) + 1 end
    return function()
      local t = setmetatable({}, mt)
      local x = inner(5)
      local y = t.key
      local z = t + 1
      local w = t < t
      local v = "a" .. t .. "b"
      return x, y, z, w, v
    end
  )");
  std::string vals;
  CHECK(resume(m, co, {}, vals) == LUA_YIELD);
  CHECK(vals == "5");
  CHECK(resume(m, co, {41}, vals) == LUA_YIELD);
  CHECK(vals == "key");
  CHECK(resume(m, co, {7}, vals) == LUA_YIELD);
  CHECK(vals == "add");
  CHECK(resume(m, co, {8}, vals) == LUA_YIELD);
  CHECK(vals == "lt");
  CHECK(resume(m, co, {0}, vals) == LUA_YIELD);
  CHECK(vals == "cat");
  CHECK(resume(m, co, {9}, vals) == LUA_OK);
  CHECK(vals == "42,7,8,true,a9");
}

TEST_CASE("an error kills the coroutine and keeps its error object", "[lvm]") {
  Machine m;
  lua_State* co = newcoroutine(m, R"(
    return function() yield(1) local t = nil; return t.x end
  )");
  std::string vals;
  CHECK(resume(m, co, {}, vals) == LUA_YIELD);
  CHECK(resume(m, co, {}, vals) == LUA_ERRRUN);
  CHECK(vals == "test:2: attempt to index a nil value (local 't')");
  CHECK(resume(m, co, {}, vals) == LUA_ERRRUN);
  CHECK(vals == "cannot resume dead coroutine");
}

TEST_CASE("yielding outside a coroutine is an error", "[lvm]") {
  Machine m;
  CHECK(m.run("yield(1)") == LUA_ERRRUN);
  CHECK(m.err == "attempt to yield from outside a coroutine");
}

TEST_CASE("resetting a suspended coroutine closes its variables", "[lvm]") {
  Machine m;
  lua_State* co = newcoroutine(m, R"(
    return function()
      local x <close> = setmetatable({}, {__close = function(_, e)
        print("closed", e) end})
      yield(1)
    end
  )");
  std::string vals;
  CHECK(resume(m, co, {}, vals) == LUA_YIELD);
  CHECK(luaD_resetthread(co, co->status) == LUA_OK);
  CHECK(m.out == "closed\tnil\n");
  CHECK(co->status == LUA_OK);
  CHECK(co->ci == &co->base_ci);
}
