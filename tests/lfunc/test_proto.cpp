// Chapter 5: prototypes. Creation with every vector empty, freeing of the
// vectors they own, and local-variable names from their debug information.
#include <catch2/catch.hpp>
#include <string>

#include "tests/lfunc/support.hpp"

using namespace lua;
using test::State;

namespace {

// A prototype with the local variables `vars`: name, startpc, endpc,
// ordered by startpc as the compiler emits them.
struct Var {
  const char* name;
  int startpc, endpc;
};

Proto* withlocals(lua_State* L, std::initializer_list<Var> vars) {
  Proto* f = luaF_newproto(L);
  f->locvars = luaM_newvector<LocVar>(L, static_cast<int>(vars.size()));
  f->sizelocvars = static_cast<int>(vars.size());
  int i = 0;
  for (const Var& v : vars)
    f->locvars[i++] = LocVar{luaS_new(L, v.name), v.startpc, v.endpc};
  return f;
}

std::string name(const Proto* f, int n, int pc) {
  const char* s = luaF_getlocalname(f, n, pc);
  return s == nullptr ? "(none)" : s;
}

}  // namespace

TEST_CASE("luaF_newproto creates an empty prototype", "[lfunc]") {
  State S;
  std::size_t before = S.heap.held;
  Proto* f = luaF_newproto(S.L);
  CHECK(S.heap.held - before == sizeof(Proto));
  CHECK(f->tt == LUA_VPROTO);
  CHECK(G(S.L)->allgc == f);
  CHECK(f->code == nullptr);
  CHECK(f->k == nullptr);
  CHECK(f->p == nullptr);
  CHECK(f->upvalues == nullptr);
  CHECK(f->locvars == nullptr);
  CHECK(f->lineinfo == nullptr);
  CHECK(f->abslineinfo == nullptr);
  CHECK(f->source == nullptr);
  CHECK(f->sizecode + f->sizek + f->sizep + f->sizeupvalues + f->sizelocvars +
            f->sizelineinfo + f->sizeabslineinfo ==
        0);
  CHECK(f->numparams + f->is_vararg + f->maxstacksize == 0);
  CHECK(S.close() == 0);
}

TEST_CASE("luaF_freeproto frees the vectors but not the objects they name",
          "[lfunc]") {
  State S;
  lua_State* L = S.L;
  Proto* inner = luaF_newproto(L);
  TString* src = luaS_new(L, "@chunk.lua");
  std::size_t before = S.heap.held;
  Proto* f = luaF_newproto(L);
  f->code = luaM_newvector<Instruction>(L, 8);
  f->sizecode = 8;
  f->k = luaM_newvector<TValue>(L, 2);
  f->sizek = 2;
  f->p = luaM_newvector<Proto*>(L, 1);
  f->p[0] = inner;
  f->sizep = 1;
  f->upvalues = luaM_newvector<Upvaldesc>(L, 3);
  f->sizeupvalues = 3;
  f->lineinfo = luaM_newvector<ls_byte>(L, 8);
  f->sizelineinfo = 8;
  f->abslineinfo = luaM_newvector<AbsLineInfo>(L, 1);
  f->sizeabslineinfo = 1;
  f->source = src;
  test::unlinkobj(L, f);
  luaF_freeproto(L, f);
  CHECK(S.heap.held == before);
  CHECK(inner->tt == LUA_VPROTO);  // still alive, freed with the state
  CHECK(std::string(getstr(src)) == "@chunk.lua");
  CHECK(S.close() == 0);
}

TEST_CASE("luaF_getlocalname finds the n-th local active at a pc", "[lfunc]") {
  State S;
  // function (a) local b ... local c ... do local d ... end end
  Proto* f =
      withlocals(S.L, {{"a", 0, 10}, {"b", 2, 5}, {"c", 3, 10}, {"d", 6, 8}});
  CHECK(name(f, 1, 0) == "a");
  CHECK(name(f, 2, 0) == "(none)");
  CHECK(name(f, 1, 4) == "a");
  CHECK(name(f, 2, 4) == "b");
  CHECK(name(f, 3, 4) == "c");
  CHECK(name(f, 4, 4) == "(none)");
  // b is dead at pc 6: c moves down to the second register.
  CHECK(name(f, 2, 6) == "c");
  CHECK(name(f, 3, 6) == "d");
  CHECK(name(f, 3, 8) == "(none)");  // endpc is exclusive
  CHECK(name(f, 1, 10) == "(none)");
  CHECK(S.close() == 0);
}
