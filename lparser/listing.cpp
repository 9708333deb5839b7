// The listing tool, and the stage-7 demo.
//
//   listing [-l [-l]] [file ...]
//
// Loads each file as luac5.4 does (a binary chunk, written by luac5.4 or
// string.dump, through luaU_undump; Lua source through the compiler,
// luaY_compile) and prints its functions in the format of `luac5.4 -l -l`,
// or of `luac5.4 -l` with a single -l, so that the two outputs can be
// diffed (only the addresses differ). Errors go to stderr as luac reports
// them ("listing: x.luac: bad binary format (truncated chunk)").
//
// Without a file it shows what this stage adds: a function is assembled
// by hand, dumped to a binary chunk and shown in hex; the compiler turns
// `print("hello from stage 7")` into the same bytes; the chunk is loaded
// back and listed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "lfunc/ldo.hpp"
#include "lfunc/lfunc.hpp"
#include "lgc/lgc.hpp"
#include "lparser/lopcodes.hpp"
#include "lparser/lparser.hpp"
#include "lparser/lprint.hpp"
#include "lparser/lundump.hpp"
#include "lstring/lstring.hpp"

using namespace lua;

namespace {

// The plain allocator every Lua host starts from.
void* l_alloc(void*, void* ptr, std::size_t, std::size_t nsize) {
  if (nsize == 0) {
    std::free(ptr);
    return nullptr;
  }
  return std::realloc(ptr, nsize);
}

// Hands the loader a whole chunk held in memory, as one block.
struct Chunk {
  const std::string* bytes;
  bool done;
};

const char* readchunk(lua_State*, void* ud, std::size_t* size) {
  auto* c = static_cast<Chunk*>(ud);
  if (c->done) return nullptr;
  c->done = true;
  *size = c->bytes->size();
  return c->bytes->data();
}

// Appends each piece luaU_dump writes.
int writechunk(lua_State*, const void* p, std::size_t sz, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), sz);
  return 0;
}

// The error message of a failed load: on the stack for format errors, in
// the exception for the others (before chapter 8 there is no error
// object).
std::string message(lua_State* L, StkId base, const LuaError& e) {
  if (L->top > base && ttisstring(s2v(L->top - 1)))
    return svalue(s2v(L->top - 1));
  return e.msg;
}

// Loads a binary chunk as ldo's f_parser does: the first byte tells it
// from source, the loader reads the rest, the closure gets its upvalues.
void undump(lua_State* L, const std::string& bytes, const char* name) {
  Chunk c{&bytes, false};
  ZIO z;
  luaZ_init(L, &z, readchunk, &c);
  zgetc(&z);
  LClosure* cl = luaU_undump(L, &z, name);
  luaF_initupvals(L, cl);
}

// Loads `bytes` as chunk `name`, binary or source, and lists it. Returns
// the exit status.
int list(lua_State* L, const std::string& bytes, const char* name, bool full) {
  StkId base = L->top;
  const std::uint32_t ncalls = L->nCcalls;
  LuaError e{};
  int status;
  if (!bytes.empty() && bytes[0] == LUA_SIGNATURE[0])
    status = luaM_runprotected([&] { undump(L, bytes, name); }, &e);
  else  // the compiler pushes the message of its errors
    status = luaY_compile(L, bytes.data(), bytes.size(), name);
  L->nCcalls = ncalls;  // as Lua's protected runner restores it
  if (status == LUA_OK)
    luaU_print(clLvalue(s2v(L->top - 1))->p, full, stdout);
  else
    std::fprintf(stderr, "listing: %s\n", message(L, base, e).c_str());
  L->top = base;
  return status == LUA_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

// A file's contents as luaL_loadfile sees them: without a UTF-8 byte
// order mark, and with a first line starting with '#' emptied (kept as a
// newline in source, so that line numbers stay right).
std::string skipcomment(std::string s) {
  if (s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  if (s.empty() || s[0] != '#') return s;
  std::size_t eol = s.find('\n');
  s.erase(0, eol == std::string::npos ? s.size() : eol + 1);
  if (!s.empty() && s[0] == LUA_SIGNATURE[0]) return s;
  return "\n" + s;
}

bool readfile(const char* path, std::string& out) {
  std::FILE* f = std::fopen(path, "rb");
  if (f == nullptr) return false;
  char buff[BUFSIZ];
  std::size_t n;
  while ((n = std::fread(buff, 1, sizeof buff, f)) > 0) out.append(buff, n);
  bool ok = !std::ferror(f);
  std::fclose(f);
  return ok;
}

// The demo's function: print("hello from stage 7") as luac5.4 compiles
// it, one line, two constants, the upvalue _ENV.
Proto* assemble(lua_State* L) {
  LClosure* cl = luaF_newLclosure(L, 1);
  setclLvalue2s(L, L->top, cl);  // anchors everything below
  luaD_inctop(L);
  Proto* f = cl->p = luaF_newproto(L);
  f->source = luaS_new(L, "=stage7");
  f->is_vararg = 1;
  f->maxstacksize = 2;
  const Instruction code[] = {
      CREATE_ABCk(OP_VARARGPREP, 0, 0, 0, 0),
      CREATE_ABCk(OP_GETTABUP, 0, 0, 0, 0),  // R[0] := _ENV["print"]
      CREATE_ABx(OP_LOADK, 1, 1),            // R[1] := "hello..."
      CREATE_ABCk(OP_CALL, 0, 2, 1, 0),      // 1 argument, no results
      CREATE_ABCk(OP_RETURN, 0, 1, 1, 0)};
  f->code = luaM_newvector<Instruction>(L, 5);
  f->sizecode = 5;
  std::memcpy(f->code, code, sizeof code);
  f->lineinfo = luaM_newvector<ls_byte>(L, 5);
  f->sizelineinfo = 5;
  const ls_byte deltas[] = {1, 0, 0, 0, 0};  // all on line 1
  std::memcpy(f->lineinfo, deltas, sizeof deltas);
  // Every slot is valid (nil, null) before the size makes the collector
  // look at it: creating each string may run a collection.
  f->k = luaM_newvector<TValue>(L, 2);
  setnilvalue(&f->k[0]);
  setnilvalue(&f->k[1]);
  f->sizek = 2;
  setsvalue(L, &f->k[0], luaS_new(L, "print"));
  setsvalue(L, &f->k[1], luaS_new(L, "hello from stage 7"));
  f->upvalues = luaM_newvector<Upvaldesc>(L, 1);
  f->upvalues[0] = Upvaldesc{nullptr, 1, 0, 0};
  f->sizeupvalues = 1;
  f->upvalues[0].name = luaS_new(L, "_ENV");
  return f;
}

void hexdump(const std::string& bytes) {
  for (std::size_t i = 0; i < bytes.size(); i++) {
    std::printf("%02x%s", static_cast<unsigned char>(bytes[i]),
                (i % 16 == 15 || i + 1 == bytes.size()) ? "\n" : " ");
  }
}

// The same function from source, through the compiler, as a chunk.
std::string compiled(lua_State* L) {
  const char src[] = "print(\"hello from stage 7\")";
  std::string bytes;
  if (luaY_compile(L, src, sizeof src - 1, "=stage7") == LUA_OK)
    luaU_dump(L, clLvalue(s2v(L->top - 1))->p, writechunk, &bytes, 0);
  L->top--;
  return bytes;
}

int demo(lua_State* L) {
  std::string bytes;
  int status = luaM_runprotected([&] {
    Proto* f = assemble(L);
    luaU_dump(L, f, writechunk, &bytes, 0);
    L->top--;
  });
  if (status != LUA_OK) return EXIT_FAILURE;
  std::printf("A function assembled by hand, dumped to %zu bytes:\n",
              bytes.size());
  hexdump(bytes);
  std::printf("\nThe compiler gives %s for print(\"hello from stage 7\").\n",
              compiled(L) == bytes ? "the same bytes" : "other bytes");
  std::printf("\nLoaded back and listed as `luac5.4 -l -l` would:\n");
  return list(L, bytes, "=stage7", true);
}

}  // namespace

int main(int argc, char** argv) {
  int level = 0;
  int first = 1;
  while (first < argc && std::strcmp(argv[first], "-l") == 0) {
    level++;
    first++;
  }
  lua_State* L = luaC_openstate(l_alloc, nullptr);
  if (L == nullptr) {
    std::fprintf(stderr, "listing: cannot create state: not enough memory\n");
    return EXIT_FAILURE;
  }
  const bool full = level != 1;  // -l: code only; -l -l or nothing: all
  if (luaM_runprotected([&] { luaX_init(L); }) != LUA_OK) {
    std::fprintf(stderr, "listing: not enough memory\n");
    luaC_closestate(L);
    return EXIT_FAILURE;
  }
  int status = EXIT_SUCCESS;
  if (first == argc) status = demo(L);
  for (int i = first; i < argc; i++) {
    std::string bytes;
    if (!readfile(argv[i], bytes)) {
      std::fprintf(stderr, "listing: cannot open %s\n", argv[i]);
      status = EXIT_FAILURE;
      continue;
    }
    std::string name = std::string("@") + argv[i];
    if (list(L, skipcomment(bytes), name.c_str(), full) != EXIT_SUCCESS)
      status = EXIT_FAILURE;
  }
  luaC_closestate(L);
  return status;
}
