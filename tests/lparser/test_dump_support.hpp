// Test support for the binary-chunk and listing tests of chapter 7: a
// state on a counting heap, a reader that can feed a chunk in small
// pieces and run the collector between them, the load sequence of ldo's
// f_parser, a canonical text form of a prototype for field-by-field
// comparison, and the helpers that run the oracle (luac5.4 and lua5.4,
// found by Meson) on a corpus of programs. The compiler tests' helpers
// (parser_support.hpp: listing, readfile, shellquote, functions, Share)
// serve here too.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lparser/lundump.hpp"
#include "tests/lparser/parser_support.hpp"

namespace lua::test {

namespace fs = std::filesystem;

// Paths of the oracle, empty when Meson did not find it.
inline const std::string& kLuac = kLuacPath;
inline const std::string kLua = LUA54_PATH;
inline bool haveoracle() {
  return !kLuac.empty() && !kLua.empty();
}

// True under the fail_first_alloc switch, where the memory manager fails
// the first attempt of every allocation and collects before retrying: a
// load then costs time quadratic in its size, and a refused request is
// final (the retry was already the second attempt).
#ifdef LUAI_EMERGENCYGCTESTS
inline constexpr bool kCollectEveryAlloc = true;
#else
inline constexpr bool kCollectEveryAlloc = false;
#endif

// A counting heap that also records the most it ever held, to check that
// the loader's memory follows its input (lundump's invariant BOUNDED), and
// can refuse one single request (the `failat`-th), which makes the memory
// manager run an emergency collection there and try again.
struct PeakHeap {
  Heap heap;
  std::size_t peak = 0;
  long requests = 0;
  long failat = -1;
  static void* alloc(void* ud, void* ptr, std::size_t osize,
                     std::size_t nsize) {
    auto* h = static_cast<PeakHeap*>(ud);
    if (nsize > 0 && ++h->requests == h->failat) return nullptr;
    void* p = Heap::alloc(&h->heap, ptr, osize, nsize);
    if (h->heap.held > h->peak) h->peak = h->heap.held;
    return p;
  }
};

// A state with a collector; close() frees it and returns the bytes still
// held (0 unless something leaked).
struct State {
  PeakHeap h;
  lua_State* L = nullptr;
  State() { L = luaC_openstate(PeakHeap::alloc, &h); }
  std::size_t close() {
    if (L != nullptr) luaC_closestate(L);
    L = nullptr;
    return h.heap.held;
  }
  ~State() { close(); }
  State(const State&) = delete;
  State& operator=(const State&) = delete;
};

// Feeds a chunk to the loader. Blocks are at most `block` bytes (random
// sizes from 1 to `block` when `seed` is nonzero). Before each block the
// reader can drive the collector, as a reader written in Lua would: a few
// incremental steps, or a full collection, then an optional heap check.
struct Feed {
  const std::string* bytes;
  std::size_t pos = 0;
  std::size_t block = SIZE_MAX;
  std::uint32_t seed = 0;
  int gcsteps = 0;
  bool fullgc = false;
  bool checkheap = false;
  int heaperrors = 0;  // violations check_heap found
  int calls = 0;

  std::size_t nextblock() {
    if (seed == 0) return block;
    seed = seed * 1103515245u + 12345u;
    return 1 + (seed >> 8) % block;
  }
};

inline const char* feedreader(lua_State* L, void* ud, std::size_t* size) {
  auto* f = static_cast<Feed*>(ud);
  f->calls++;
  for (int i = 0; i < f->gcsteps; i++) luaC_singlestep(L);
  if (f->fullgc) luaC_fullgc(L, 0);
  if (f->checkheap) f->heaperrors += check_heap(G(L));
  if (f->pos >= f->bytes->size()) return nullptr;
  const std::size_t left = f->bytes->size() - f->pos;
  const std::size_t n = std::min(left, f->nextblock());
  *size = n;
  f->pos += n;
  return f->bytes->data() + f->pos - n;
}

// The outcome of a load; on success the closure is on top of the stack.
struct Result {
  int status;
  std::string msg;
};

// What ldo's f_parser does for a binary chunk: read the first byte, load,
// give the main closure its upvalues. Like Lua's protected runner, the
// C-call count is restored after an error (the stand-in runner of the
// early chapters does not).
inline Result undump(lua_State* L, Feed& feed, const char* name) {
  StkId base = L->top;
  const std::uint32_t ncalls = L->nCcalls;
  LuaError e{};
  int status = luaM_runprotected(
      [&] {
        ZIO z;
        luaZ_init(L, &z, feedreader, &feed);
        if (zgetc(&z) != LUA_SIGNATURE[0])
          luaM_runerror(L, "not a binary chunk");
        LClosure* cl = luaU_undump(L, &z, name);
        luaF_initupvals(L, cl);
      },
      &e);
  L->nCcalls = ncalls;
  if (status == LUA_OK) return {LUA_OK, ""};
  std::string msg = e.msg;  // errors other than format errors
  if (L->top > base && ttisstring(s2v(L->top - 1)))
    msg = svalue(s2v(L->top - 1));
  L->top = base;
  return {status, msg};
}

inline Result undump(lua_State* L, const std::string& bytes,
                     const char* name = "=x") {
  Feed feed{&bytes};
  return undump(L, feed, name);
}

// The encoding of sizes in chunks: 7-bit groups, most significant first,
// the last one marked with 0x80.
inline std::string varint(std::uint64_t x) {
  std::string groups;
  do {
    groups.insert(groups.begin(), static_cast<char>(x & 0x7f));
    x >>= 7;
  } while (x != 0);
  groups.back() = static_cast<char>(groups.back() | 0x80);
  return groups;
}

// A new empty prototype, anchored by a closure pushed on the stack.
inline Proto* newproto(lua_State* L) {
  LClosure* cl = luaF_newLclosure(L, 0);
  setclLvalue2s(L, L->top, cl);
  luaD_inctop(L);
  cl->p = luaF_newproto(L);
  return cl->p;
}

// The prototype of the closure on top of the stack.
inline Proto* topproto(lua_State* L) {
  return clLvalue(s2v(L->top - 1))->p;
}

inline int appendwriter(lua_State*, const void* p, std::size_t sz, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), sz);
  return 0;
}

inline std::string dump(lua_State* L, const Proto* f, bool strip) {
  std::string out;
  int status = luaU_dump(L, f, appendwriter, &out, strip ? 1 : 0);
  return status == 0 ? out : std::string("<writer failed>");
}

// Every field of a prototype, nested ones included, as text: two
// prototypes are equal field by field exactly when their texts are.
// Strings are compared by contents, floats by their bits; a nested
// function's source is "parent" when it is its parent's string.
inline void describe(std::ostringstream& o, const Proto* f,
                     const TString* psource) {
  auto str = [&](const TString* s) {
    if (s == nullptr) return std::string("null");
    return "\"" + std::string(getstr(s), tsslen(s)) + "\"";
  };
  o << "source "
    << (f->source == psource && psource ? "parent" : str(f->source))
    << " lines " << f->linedefined << "-" << f->lastlinedefined << " params "
    << int(f->numparams) << " vararg " << int(f->is_vararg) << " stack "
    << int(f->maxstacksize) << "\ncode";
  for (int i = 0; i < f->sizecode; i++) o << " " << f->code[i];
  o << "\nk";
  for (int i = 0; i < f->sizek; i++) {
    const TValue* v = &f->k[i];
    o << " " << ttypetag(v) << ":";
    if (ttisinteger(v)) o << ivalue(v);
    if (ttisfloat(v)) {
      const lua_Number n = fltvalue(v);
      std::uint64_t bits;
      std::memcpy(&bits, &n, sizeof bits);
      o << std::hex << bits << std::dec;
    }
    if (ttisstring(v)) o << str(tsvalue(v));
  }
  o << "\nupvalues";
  for (int i = 0; i < f->sizeupvalues; i++) {
    const Upvaldesc& u = f->upvalues[i];
    o << " " << str(u.name) << "/" << int(u.instack) << "/" << int(u.idx) << "/"
      << int(u.kind);
  }
  o << "\nlineinfo";
  for (int i = 0; i < f->sizelineinfo; i++) o << " " << int(f->lineinfo[i]);
  o << "\nabslineinfo";
  for (int i = 0; i < f->sizeabslineinfo; i++)
    o << " " << f->abslineinfo[i].pc << ":" << f->abslineinfo[i].line;
  o << "\nlocvars";
  for (int i = 0; i < f->sizelocvars; i++) {
    const LocVar& v = f->locvars[i];
    o << " " << str(v.varname) << "/" << v.startpc << "/" << v.endpc;
  }
  o << "\nfunctions " << f->sizep << "\n";
  for (int i = 0; i < f->sizep; i++) describe(o, f->p[i], f->source);
}

inline std::string describe(const Proto* f) {
  std::ostringstream o;
  describe(o, f, nullptr);
  return o.str();
}

inline bool ishex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// Each address ("0x...") replaced by its order of first appearance:
// outputs of different runs compare, yet two mentions of one object (a
// CLOSURE's comment and the function's header) must still agree, which
// parser_support's `normalize` does not check.
inline std::string numberaddresses(const std::string& s) {
  std::map<std::string, int> seen;
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "0x") == 0 && i + 2 < s.size() && ishex(s[i + 2])) {
      std::size_t j = i + 2;
      while (j < s.size() && ishex(s[j])) j++;
      auto [it, fresh] = seen.emplace(s.substr(i, j - i), seen.size() + 1);
      out += "<address " + std::to_string(it->second) + ">";
      i = j;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Files and the oracle
// ---------------------------------------------------------------------------

inline void writefile(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

// A fresh directory, removed with everything in it at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "anatomy-dump-XXXXXX");
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

// Runs a shell command; returns its exit status and its standard output.
struct Run {
  int status;
  std::string out;
};
inline Run run(const std::string& cmd) {
  Run r{-1, ""};
  std::FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buff[4096];
  std::size_t n;
  while ((n = std::fread(buff, 1, sizeof buff, p)) > 0) r.out.append(buff, n);
  r.status = pclose(p);
  return r;
}

// Compiles `src` with luac5.4 into `out` (stripped with `strip`).
inline bool luac(const fs::path& src, const fs::path& out, bool strip) {
  std::string cmd = shellquote(kLuac) + (strip ? " -s" : "") + " -o " +
                    shellquote(out.string()) + " " + shellquote(src.string());
  return run(cmd).status == 0;
}

// Programs too big to keep in the repository, written into `dir`: long
// string constants past the loader's first block, more constants than
// LOADK can address (LOADKX), a 600-item constructor (SETLIST and
// NEWTABLE with EXTRAARG), lines far apart and a function of more than
// 128 instructions (absolute line information).
inline std::vector<fs::path> generatedcorpus(const fs::path& dir) {
  std::vector<fs::path> out;
  auto add = [&](const char* name, const std::string& text) {
    writefile(dir / name, text);
    out.push_back(dir / name);
  };
  std::string a, b;
  for (int i = 0; i < 6000; i++) a += static_cast<char>('a' + i * 7 % 26);
  for (int i = 0; i < 20000; i++) b += static_cast<char>('A' + i * 11 % 26);
  add("longconst.lua", "local a = \"" + a + "\"\nlocal b = \"" + b +
                           "\"\nprint(#a, #b, a:sub(1, 10), b:sub(-10))\n");
  std::string many = "local t = {";
  for (int i = 0; i < 132000; i++) many += "\"k" + std::to_string(i) + "\",";
  if (!kCollectEveryAlloc)  // 132,000 collections of 132,000 strings
    add("manyconst.lua", many + "}\nprint(#t, t[1], t[132000])\n");
  std::string big = "local t = {";
  for (int i = 1; i <= 600; i++) big += std::to_string(i) + ",";
  big += "}\nlocal function far(x)\n  local y = x + 1\n" +
         std::string(300, '\n') + "  y = y * 2\n" + std::string(150, '\n') +
         "  return y\nend\nlocal function long(x)\n  local acc = 0\n";
  for (int i = 1; i < 200; i++)
    big += "  acc = acc + " + std::to_string(i) + " * x\n";
  add("bigtable.lua",
      big + "  return acc\nend\nprint(#t, t[600], far(20), " + "long(2))\n");
  return out;
}

// The corpus: the programs of tests/lparser/dump_corpus, those of the
// compiler's corpus (tests/lparser/corpus) once it exists, and the
// generated ones.
inline std::vector<fs::path> corpus(const fs::path& tmp) {
  std::vector<fs::path> out;
  for (const char* dir : {DUMP_CORPUS_DIR, LPARSER_CORPUS_DIR}) {
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".lua") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    out.insert(out.end(), files.begin(), files.end());
  }
  for (const fs::path& p : generatedcorpus(tmp)) out.push_back(p);
  return out;
}

// The corpus compiled by luac5.4, with and without debug information;
// compiled once per test program (empty without the oracle).
struct Compiled {
  fs::path src, chunk, stripped;
};
inline const std::vector<Compiled>& compiledcorpus() {
  static TempDir dir;
  static const std::vector<Compiled> all = [] {
    std::vector<Compiled> v;
    if (!haveoracle()) return v;
    int n = 0;
    for (const fs::path& src : corpus(dir.path)) {
      std::string stem = std::to_string(n++) + "-" + src.stem().string();
      Compiled c{src, dir.path / (stem + ".luac"),
                 dir.path / (stem + "-s.luac")};
      luac(src, c.chunk, false);  // a failure shows as a missing file
      luac(src, c.stripped, true);
      v.push_back(c);
    }
    return v;
  }();
  return all;
}

}  // namespace lua::test
