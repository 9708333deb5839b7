// Chapter 4: check_table notices broken tables. Each case corrupts a
// sound table in one way, checks that the checker reports it, and repairs
// the damage so that the table can be freed.
#include <catch2/catch.hpp>

#include "tests/ltable/fixture.hpp"

using namespace lua;
using test::Fixture;

namespace {

Node* mainpos(Fixture& f, Node* n) {
  TValue k;
  getnodekey(f.L, &k, n);
  return luaH_mainposition(f.t, &k);
}

// A node holding a key away from its main position.
Node* displaced(Fixture& f) {
  for (int i = 0; i < sizenode(f.t); i++) {
    Node* n = gnode(f.t, i);
    if (!keyisnil(n) && mainpos(f, n) != n) return n;
  }
  return nullptr;
}

Node* freenode(Fixture& f) {
  for (int i = 0; i < sizenode(f.t); i++)
    if (keyisnil(gnode(f.t, i))) return gnode(f.t, i);
  return nullptr;
}

// A table with an array of 4 and 12 integer keys in a hash part of 16
// nodes, several of them out of their main positions (100 + 15i is 10
// modulo 15 for every i). Returns one of those guests.
Node* build(Fixture& f) {
  for (int i = 1; i <= 4; i++) f.seti(i, i);
  for (int i = 1; i <= 12; i++) f.seti(15 * i + 100, i);
  REQUIRE(luaH_realasize(f.t) == 4);
  REQUIRE(sizenode(f.t) == 16);
  REQUIRE(check_table(f.t) == 0);
  Node* n = displaced(f);
  REQUIRE(n != nullptr);
  return n;
}

}  // namespace

TEST_CASE("check_table notices a broken chain", "[ltable]") {
  Fixture f;
  Node* n = build(f);
  Node* head = mainpos(f, n);
  int saved = gnext(head);
  gnext(head) = 0;  // REACH: the rest of the chain is lost
  CHECK(check_table(f.t) > 0);
  gnext(head) = 1000;  // out of the vector
  CHECK(check_table(f.t) > 0);
  gnext(head) = saved;
  Node* last = head;
  while (gnext(last) != 0) last += gnext(last);
  gnext(last) = cast_int(head - last);  // the chain loops
  CHECK(check_table(f.t) > 0);
  gnext(last) = 0;
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("check_table notices duplicate and misplaced keys", "[ltable]") {
  Fixture f;
  Node* n = build(f);
  Node* head = mainpos(f, n);
  Value saved = n->u.key_val;
  n->u.key_val = head->u.key_val;  // UNIQUE: the head's key twice
  CHECK(check_table(f.t) > 0);
  n->u.key_val.i = 2;  // SPLIT: key 2 belongs to the array part
  CHECK(check_table(f.t) > 0);
  n->u.key_tt = LUA_VNUMFLT;
  n->u.key_val.n = 3.0;  // SPLIT: an integral float
  CHECK(check_table(f.t) > 0);
  n->u.key_tt = LUA_VNUMINT;
  n->u.key_val = saved;
  CHECK(check_table(f.t) == 0);
  // CHAIN: the head holds a key away from its own main position.
  Value headkey = head->u.key_val;
  head->u.key_val.i = headkey.i + 1;
  CHECK(check_table(f.t) > 0);
  head->u.key_val = headkey;
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}

TEST_CASE("check_table notices a wrong lastfree, flags or alimit", "[ltable]") {
  Fixture f;
  (void)build(f);
  REQUIRE(freenode(f) != nullptr);
  Node* lastfree = f.t->lastfree;
  f.t->lastfree = f.t->node;  // LASTFREE: free nodes above it
  CHECK(check_table(f.t) > 0);
  f.t->lastfree = nullptr;  // DUMMY: says dummy, is not
  CHECK(check_table(f.t) > 0);
  f.t->lastfree = lastfree;
  f.t->flags = static_cast<lu_byte>(f.t->flags | 0x40);  // FLAGS
  CHECK(check_table(f.t) > 0);
  f.t->flags = static_cast<lu_byte>(f.t->flags & ~0x40);
  Node* fr = freenode(f);
  setempty(gval(fr));
  fr->i_val.value_.i = 0;
  settt_(gval(fr), LUA_VTRUE);  // a free node with a value
  CHECK(check_table(f.t) > 0);
  setempty(gval(fr));
  settt_(&f.t->array[1], LUA_VABSTKEY);  // the lookup marker stored
  CHECK(check_table(f.t) > 0);
  setivalue(&f.t->array[1], 2);
  f.t->alimit = 3;  // a hint: 3 is above half the real size 4
  setnorealasize(f.t);
  CHECK(check_table(f.t) == 0);
  f.t->alimit = 0;  // ALIMIT: a hint of 0 cannot stand for an array
  CHECK(check_table(f.t) > 0);
  f.t->alimit = 4;
  setrealasize(f.t);
  CHECK(check_table(f.t) == 0);
  CHECK(f.close() == 0);
}
