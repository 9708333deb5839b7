// Test support for the compiler tests of chapter 7: a state on a counting
// heap, compilation of a source string through luaY_compile, the listing
// of the result (luaU_print), and the helpers that run luac5.4 on a file
// and split listings into functions for comparison.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lgc/lgc.hpp"
#include "lparser/lcode.hpp"
#include "lparser/lparser.hpp"
#include "lparser/lprint.hpp"
#include "tests/lstring/support.hpp"

namespace lua::test {

// The oracle's path, empty when Meson did not find luac5.4.
inline const std::string kLuacPath = LUAC54_PATH;

// A full state (with collector) ready to compile; close() frees it and
// returns the bytes still held.
struct CompilerState {
  Heap heap;
  lua_State* L = nullptr;
  CompilerState() {
    L = luaC_openstate(Heap::alloc, &heap);
    if (L != nullptr) luaX_init(L);
  }
  std::size_t close() {
    if (L != nullptr) luaC_closestate(L);
    L = nullptr;
    return heap.held;
  }
  ~CompilerState() { close(); }
  CompilerState(const CompilerState&) = delete;
  CompilerState& operator=(const CompilerState&) = delete;
};

// The listing of `f` as luaU_print writes it.
inline std::string listing(const Proto* f, bool full = true) {
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  luaU_print(f, full, out);
  std::fclose(out);
  std::string s(buf, len);
  std::free(buf);
  return s;
}

// What compiling a chunk gave: the status, and the error message or the
// full listing of the prototypes.
struct Outcome {
  int status;
  std::string text;
  int violations = 0;  // of the code invariants, counted by check_code
};

// Compiles `src` in `L`, checks the stack contract of luaY_compile (one
// more slot either way) and the invariants of the result, and pops it.
inline Outcome compile(lua_State* L, const std::string& src,
                       const char* chunkname) {
  StkId base = L->top;
  int status = luaY_compile(L, src.data(), src.size(), chunkname);
  Outcome out{status, {}};
  if (L->top != base + 1) {
    out.text = "stack contract broken";
    out.status = -1;
    return out;
  }
  const TValue* o = s2v(L->top - 1);
  if (status == LUA_OK && ttisLclosure(o)) {
    const Proto* p = clLvalue(o)->p;
    out.violations = check_code(p);
    out.text = listing(p);
    if (out.violations != 0) {  // fails every comparison of the listing
      out.text = "check_code: " + std::to_string(out.violations) +
                 " violations\n" + out.text;
      out.status = -1;
    }
  } else if (status != LUA_OK && ttisstring(o)) {
    out.text = svalue(o);
  } else {
    out.text = "unexpected object on the stack";
    out.status = -1;
  }
  L->top--;
  return out;
}

// Compiles in a fresh state and checks that closing it frees every byte.
inline Outcome compilefresh(const std::string& src, const char* chunkname,
                            std::size_t* leaked = nullptr) {
  CompilerState s;
  Outcome out = compile(s.L, src, chunkname);
  std::size_t held = s.close();
  if (leaked != nullptr) *leaked = held;
  return out;
}

inline std::string readfile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs a shell command and returns its exit status and its output (both
// streams).
inline int runcmd(const std::string& cmd, std::string& out) {
  std::FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  out.clear();
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
    out.append(buf, n);
  return pclose(p);
}

inline std::string shellquote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Replaces every address ("0x55d0c3a1b2c0") with "ADDR": the one part of a
// listing that legitimately differs between two processes.
inline std::string normalize(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] == '0' && i + 1 < s.size() && s[i + 1] == 'x') {
      std::size_t j = i + 2;
      while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j])))
        j++;
      out += "ADDR";
      i = j;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// The functions of a listing; each starts with a blank line and a "main"
// or "function" header.
inline std::vector<std::string> functions(const std::string& listing) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < listing.size()) {
    std::size_t next = listing.find("\n\nmain <", start + 1);
    std::size_t next2 = listing.find("\n\nfunction <", start + 1);
    if (next2 < next) next = next2;
    if (next == std::string::npos) next = listing.size();
    out.push_back(listing.substr(start, next - start));
    start = next;
  }
  return out;
}

// Counts of identical functions in a comparison.
struct Share {
  int same = 0;
  int total = 0;
};

}  // namespace lua::test
