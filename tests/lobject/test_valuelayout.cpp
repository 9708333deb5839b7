// Layout facts that lobject.c and the book rely on, beyond the object
// offsets of test_layouts.cpp: where a value keeps its tag, where a stack
// slot keeps its to-be-closed link and where a string's bytes start, on
// LP64 as in Lua 5.4. offsetof is not allowed on these non-standard-layout
// structs, so the offsets are measured on objects.
#include <cstddef>

#include <catch2/catch.hpp>

#include "lobject/lstate.hpp"

using namespace lua;

namespace {

template <class T, class M>
std::ptrdiff_t offset(const T& obj, const M& member) {
  return reinterpret_cast<const char*>(&member) -
         reinterpret_cast<const char*>(&obj);
}

}  // namespace

TEST_CASE("a TValue is an 8-byte payload followed by its tag", "[lobject]") {
  TValue v;
  CHECK(sizeof(TValue) == 16);
  CHECK(offset(v, v.value_) == 0);
  CHECK(offset(v, v.tt_) == 8);
  StackValue sv;
  CHECK(offset(sv, sv.tbclist.tt_) == 8);
  CHECK(offset(sv, sv.tbclist.delta) == 10);
}

TEST_CASE("a string's bytes start at byte 24, after its length union",
          "[lobject]") {
  TString ts;
  CHECK(offset(ts, ts.shrlen) == 11);
  CHECK(offset(ts, ts.u) == 16);
  CHECK(getstr(&ts) - reinterpret_cast<char*>(&ts) == 24);
}

TEST_CASE("the buffers of lobject.c hold their longest contents", "[lobject]") {
  // "-1.7976931348623e+308" and LUA_MININTEGER are the longest numbers,
  // and a float may get ".0" and a '\0' after it.
  CHECK(MAXNUMBER2STR > 21 + 3);
  CHECK(UTF8BUFFSZ >= 6);  // the 6-byte form of 0x7FFFFFFF
}
