/// \file
/// Values and object layouts: the tagged value `TValue`, the variant tags,
/// the header every collectable object starts with, and the layout of every
/// object type; plus the number and string conversions of lobject.c.
///
/// Mirrors: Lua 5.4 lobject.h and lobject.c
/// Book: chapter 2
///
/// Design: a Lua value is a `TValue`, a tag byte beside an 8-byte union. The
/// tag's low four bits are the basic type of lua.h (LUA_TNUMBER, ...), bits
/// 4-5 the variant (integer or float, short or long string, Lua closure,
/// light C function or C closure, ...), and bit 6 says that the union holds
/// a pointer to a collectable object (BIT_ISCOLLECTABLE).
///
/// - **Invariant TAG.** A value is collectable exactly when its tag has
///   BIT_ISCOLLECTABLE, and then `value_.gc->tt` equals the tag without that
///   bit: the object knows its own variant.
/// - **Invariant HEADER.** Every collectable object begins with the fields
///   of `GCObject` (next, tt, marked), so any of them can be linked into the
///   collector's lists and inspected through a `GCObject *`.
/// - **Invariant SIZES.** Objects with a variable part (strings, userdata,
///   closures) store it right after the fixed struct; their sizes are given
///   by the size functions below and checked by `static_assert` against the
///   offsets Lua 5.4 uses on LP64.
///
/// Differences from Lua:
/// - The common header is a base class, `GCObject`, whose protected
///   constructor makes it non-POD so the compiler packs the next fields into
///   its tail padding: every layout keeps Lua 5.4's offsets and sizes.
/// - C flexible arrays (`contents[1]`, `upvalue[1]`, ...) are not C++; the
///   variable part is reached through a member function (`getstr(ts)`,
///   `cl->upvalue()`), placed exactly where Lua's array starts.
/// - The value macros (ttisinteger, setivalue, ...) are inline functions.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include "lmem/lmem.hpp"

namespace lua {

// ---------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------

/// Extra basic types used only inside the implementation.
inline constexpr int LUA_TUPVAL = LUA_NUMTYPES;        ///< upvalues
inline constexpr int LUA_TPROTO = LUA_NUMTYPES + 1;    ///< prototypes
inline constexpr int LUA_TDEADKEY = LUA_NUMTYPES + 2;  ///< dead table keys
/// Number of basic types, counting the internal ones.
inline constexpr int LUA_TOTALTYPES = LUA_TPROTO + 2;

/// A variant tag: basic type `t` in bits 0-3, variant `v` in bits 4-5.
constexpr int makevariant(int t, int v) {
  return t | (v << 4);
}

inline constexpr int LUA_VNIL = makevariant(LUA_TNIL, 0);
/// An empty slot (a table entry with no value).
inline constexpr int LUA_VEMPTY = makevariant(LUA_TNIL, 1);
/// The result of a failed table lookup (an absent key).
inline constexpr int LUA_VABSTKEY = makevariant(LUA_TNIL, 2);
inline constexpr int LUA_VFALSE = makevariant(LUA_TBOOLEAN, 0);
inline constexpr int LUA_VTRUE = makevariant(LUA_TBOOLEAN, 1);
inline constexpr int LUA_VTHREAD = makevariant(LUA_TTHREAD, 0);
inline constexpr int LUA_VNUMINT = makevariant(LUA_TNUMBER, 0);
inline constexpr int LUA_VNUMFLT = makevariant(LUA_TNUMBER, 1);
inline constexpr int LUA_VSHRSTR = makevariant(LUA_TSTRING, 0);
inline constexpr int LUA_VLNGSTR = makevariant(LUA_TSTRING, 1);
inline constexpr int LUA_VLIGHTUSERDATA = makevariant(LUA_TLIGHTUSERDATA, 0);
inline constexpr int LUA_VUSERDATA = makevariant(LUA_TUSERDATA, 0);
inline constexpr int LUA_VUPVAL = makevariant(LUA_TUPVAL, 0);
inline constexpr int LUA_VPROTO = makevariant(LUA_TPROTO, 0);
/// Lua closure, light C function, C closure.
inline constexpr int LUA_VLCL = makevariant(LUA_TFUNCTION, 0);
inline constexpr int LUA_VLCF = makevariant(LUA_TFUNCTION, 1);
inline constexpr int LUA_VCCL = makevariant(LUA_TFUNCTION, 2);
inline constexpr int LUA_VTABLE = makevariant(LUA_TTABLE, 0);

/// Marks the tag of a value that points to a collectable object.
inline constexpr int BIT_ISCOLLECTABLE = 1 << 6;
/// The tag of a collectable variant as stored in a TValue.
constexpr int ctb(int t) {
  return t | BIT_ISCOLLECTABLE;
}
/// Tag without the collectable bit; basic type of a tag.
constexpr int withvariant(int t) {
  return t & 0x3F;
}
constexpr int novariant(int t) {
  return t & 0x0F;
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

struct GCObject;
struct TString;
struct Udata;
struct Table;
struct Proto;
struct UpVal;
struct LClosure;
struct CClosure;
union Closure;

/// The payload of a value; which member is live is said by the tag.
union Value {
  GCObject* gc;     ///< collectable objects
  void* p;          ///< light userdata
  lua_CFunction f;  ///< light C functions
  lua_Integer i;    ///< integers
  lua_Number n;     ///< floats
  lu_byte ub;       ///< no payload (nil, booleans)
};

/// A tagged value: Lua's TValue (16 bytes on LP64).
struct TValue {
  Value value_;
  lu_byte tt_;
};

/// The type of bytecode instructions (chapter 7).
using Instruction = std::uint32_t;

/// A stack slot. Slots that hold to-be-closed variables also link to the
/// previous such slot through `tbclist.delta` (chapter 5).
union StackValue {
  TValue val;
  struct {
    Value value_;
    lu_byte tt_;
    unsigned short delta;  ///< distance to the previous tbc slot
  } tbclist;
};
/// A pointer into a thread's stack.
using StkId = StackValue*;

/// The value held by a stack slot.
inline TValue* s2v(StkId o) {
  return &o->val;
}

// Raw tag access.
inline int rawtt(const TValue* o) {
  return o->tt_;
}
inline int ttypetag(const TValue* o) {
  return withvariant(o->tt_);
}
inline int ttype(const TValue* o) {
  return novariant(o->tt_);
}
inline bool checktag(const TValue* o, int t) {
  return o->tt_ == t;
}
inline bool checktype(const TValue* o, int t) {
  return ttype(o) == t;
}
inline bool iscollectable(const TValue* o) {
  return (o->tt_ & BIT_ISCOLLECTABLE) != 0;
}
inline void settt_(TValue* o, int t) {
  o->tt_ = cast_byte(t);
}

// Nil: three variants. Standard nil, the empty slot and the absent key all
// count as nil for Lua code; only tables tell them apart.
inline bool ttisnil(const TValue* o) {
  return checktype(o, LUA_TNIL);
}
inline bool ttisstrictnil(const TValue* o) {
  return checktag(o, LUA_VNIL);
}
inline bool isabstkey(const TValue* o) {
  return checktag(o, LUA_VABSTKEY);
}
inline bool isempty(const TValue* o) {
  return ttisnil(o);
}
inline void setnilvalue(TValue* o) {
  settt_(o, LUA_VNIL);
}
inline void setempty(TValue* o) {
  settt_(o, LUA_VEMPTY);
}

// Booleans: false and true are two variants with no payload.
inline bool ttisboolean(const TValue* o) {
  return checktype(o, LUA_TBOOLEAN);
}
inline bool ttisfalse(const TValue* o) {
  return checktag(o, LUA_VFALSE);
}
inline bool ttistrue(const TValue* o) {
  return checktag(o, LUA_VTRUE);
}
/// False and nil are the only false values.
inline bool l_isfalse(const TValue* o) {
  return ttisfalse(o) || ttisnil(o);
}
inline void setbfvalue(TValue* o) {
  settt_(o, LUA_VFALSE);
}
inline void setbtvalue(TValue* o) {
  settt_(o, LUA_VTRUE);
}

// Numbers.
inline bool ttisnumber(const TValue* o) {
  return checktype(o, LUA_TNUMBER);
}
inline bool ttisfloat(const TValue* o) {
  return checktag(o, LUA_VNUMFLT);
}
inline bool ttisinteger(const TValue* o) {
  return checktag(o, LUA_VNUMINT);
}
inline lua_Integer ivalue(const TValue* o) {
  return check_exp(ttisinteger(o), o->value_.i);
}
inline lua_Number fltvalue(const TValue* o) {
  return check_exp(ttisfloat(o), o->value_.n);
}
/// The numeric value of a number of either variant, as a float.
inline lua_Number nvalue(const TValue* o) {
  return check_exp(ttisnumber(o), ttisinteger(o)
                                      ? static_cast<lua_Number>(o->value_.i)
                                      : o->value_.n);
}
inline void setfltvalue(TValue* o, lua_Number x) {
  o->value_.n = x;
  settt_(o, LUA_VNUMFLT);
}
inline void chgfltvalue(TValue* o, lua_Number x) {
  lua_assert(ttisfloat(o));
  o->value_.n = x;
}
inline void setivalue(TValue* o, lua_Integer x) {
  o->value_.i = x;
  settt_(o, LUA_VNUMINT);
}
inline void chgivalue(TValue* o, lua_Integer x) {
  lua_assert(ttisinteger(o));
  o->value_.i = x;
}

// Light userdata and light C functions: not collectable.
inline bool ttislightuserdata(const TValue* o) {
  return checktag(o, LUA_VLIGHTUSERDATA);
}
inline void* pvalue(const TValue* o) {
  return check_exp(ttislightuserdata(o), o->value_.p);
}
inline void setpvalue(TValue* o, void* x) {
  o->value_.p = x;
  settt_(o, LUA_VLIGHTUSERDATA);
}
inline bool ttislcf(const TValue* o) {
  return checktag(o, LUA_VLCF);
}
inline lua_CFunction fvalue(const TValue* o) {
  return check_exp(ttislcf(o), o->value_.f);
}
inline void setfvalue(TValue* o, lua_CFunction x) {
  o->value_.f = x;
  settt_(o, LUA_VLCF);
}

// Collectable values.
inline GCObject* gcvalue(const TValue* o) {
  return check_exp(iscollectable(o), o->value_.gc);
}
inline bool ttisstring(const TValue* o) {
  return checktype(o, LUA_TSTRING);
}
inline bool ttisshrstring(const TValue* o) {
  return checktag(o, ctb(LUA_VSHRSTR));
}
inline bool ttislngstring(const TValue* o) {
  return checktag(o, ctb(LUA_VLNGSTR));
}
inline bool ttisfulluserdata(const TValue* o) {
  return checktag(o, ctb(LUA_VUSERDATA));
}
inline bool ttistable(const TValue* o) {
  return checktag(o, ctb(LUA_VTABLE));
}
inline bool ttisthread(const TValue* o) {
  return checktag(o, ctb(LUA_VTHREAD));
}
inline bool ttisfunction(const TValue* o) {
  return checktype(o, LUA_TFUNCTION);
}
inline bool ttisLclosure(const TValue* o) {
  return checktag(o, ctb(LUA_VLCL));
}
inline bool ttisCclosure(const TValue* o) {
  return checktag(o, ctb(LUA_VCCL));
}
inline bool ttisclosure(const TValue* o) {
  return ttisLclosure(o) || ttisCclosure(o);
}

/// Copies a value. `L` is unused: Lua passes it so that its debug builds
/// can check that the copied object is alive (checkliveness). We keep the
/// parameter, so that call sites read like Lua's, but check liveness
/// elsewhere: chapter 6's heap checker (check_heap) verifies that no
/// reachable value names a dead object.
inline void setobj(lua_State* L, TValue* obj1, const TValue* obj2) {
  (void)L;
  obj1->value_ = obj2->value_;
  settt_(obj1, obj2->tt_);
}
// The directional variants of setobj only document where a value goes.
inline void setobjs2s(lua_State* L, StkId o1, StkId o2) {
  setobj(L, s2v(o1), s2v(o2));
}
inline void setobj2s(lua_State* L, StkId o1, const TValue* o2) {
  setobj(L, s2v(o1), o2);
}
inline void setobjt2t(lua_State* L, TValue* o1, const TValue* o2) {
  setobj(L, o1, o2);
}
inline void setobj2n(lua_State* L, TValue* o1, const TValue* o2) {
  setobj(L, o1, o2);
}
inline void setobj2t(lua_State* L, TValue* o1, const TValue* o2) {
  setobj(L, o1, o2);
}

// ---------------------------------------------------------------------------
// Collectable objects
// ---------------------------------------------------------------------------

/// The common header of every collectable object (invariant HEADER).
struct GCObject {
  GCObject* next;  ///< link in one of the collector's object lists
  lu_byte tt;      ///< the object's variant tag (without the GC bit)
  lu_byte marked;  ///< colour and age bits (chapter 6)

 protected:
  // Protected: a GCObject exists only as the start of a concrete object.
  // Being non-POD also lets derived objects use the header's tail padding.
  GCObject() = default;
};

/// Stores collectable object `x` (of variant `tt`) in value `o`.
inline void setgcovalue(lua_State* L, TValue* o, GCObject* x) {
  (void)L;
  o->value_.gc = x;
  settt_(o, ctb(x->tt));
}

/// A string. Short strings (up to LUAI_MAXSHORTLEN bytes) are interned and
/// chained through `u.hnext`; long strings keep their length in `u.lnglen`
/// and compute `hash` lazily (chapter 3). The bytes follow the struct and
/// end with a '\0'.
struct TString : GCObject {
  /// Short strings: nonzero for reserved words (their token number).
  /// Long strings: nonzero once `hash` has been computed.
  lu_byte extra;
  lu_byte shrlen;     ///< length of a short string
  unsigned int hash;  ///< hash of the contents
  union {
    std::size_t lnglen;  ///< length of a long string
    TString* hnext;      ///< next short string in the same bucket
  } u;
};

/// The bytes of a string, right after its header.
inline char* getstr(TString* ts) {
  return reinterpret_cast<char*>(ts) + sizeof(TString);
}
inline const char* getstr(const TString* ts) {
  return reinterpret_cast<const char*>(ts) + sizeof(TString);
}
/// Total size of a string object holding `l` bytes (plus the '\0').
constexpr std::size_t sizelstring(std::size_t l) {
  return sizeof(TString) + (l + 1) * sizeof(char);
}
inline std::size_t tsslen(const TString* s) {
  return s->tt == LUA_VSHRSTR ? s->shrlen : s->u.lnglen;
}
inline bool strisshr(const TString* ts) {
  return ts->tt == LUA_VSHRSTR;
}

/// A user value slot of a full userdata, aligned like any Lua object.
union UValue {
  TValue uv;
  LUAI_MAXALIGN;
};

/// A full userdata with `nuvalue` user values (UValue slots after the
/// struct), followed by `len` bytes of memory for the C side.
struct Udata : GCObject {
  unsigned short nuvalue;  ///< number of user values
  std::size_t len;         ///< number of bytes of the memory block
  Table* metatable;
  GCObject* gclist;  ///< link in a gray list (only with user values)
  /// The user values, right after the struct.
  UValue* uv() {
    return reinterpret_cast<UValue*>(reinterpret_cast<char*>(this) +
                                     sizeof(Udata));
  }
};

/// A full userdata with no user values: it is never gray, so it has no
/// `gclist`, and its memory starts right after `metatable`.
struct Udata0 : GCObject {
  unsigned short nuvalue;
  std::size_t len;
  Table* metatable;
};

/// Offset of the memory block of a userdata with `nuv` user values.
constexpr std::size_t udatamemoffset(int nuv) {
  return nuv == 0 ? sizeof(Udata0)
                  : sizeof(Udata) + sizeof(UValue) * static_cast<unsigned>(nuv);
}
/// The memory block of userdata `u`.
inline void* getudatamem(Udata* u) {
  return reinterpret_cast<char*>(u) + udatamemoffset(u->nuvalue);
}
/// Total size of a userdata with `nuv` user values and `nb` bytes.
constexpr std::size_t sizeudata(int nuv, std::size_t nb) {
  return udatamemoffset(nuv) + nb;
}

// ---------------------------------------------------------------------------
// Prototypes
// ---------------------------------------------------------------------------

/// Where a function finds one upvalue when its closure is created.
struct Upvaldesc {
  TString* name;    ///< for debug information
  lu_byte instack;  ///< in the enclosing function's stack (or its upvalues)?
  lu_byte idx;      ///< register or upvalue index there
  lu_byte kind;     ///< kind of the variable (regular, const, to-be-closed)
};

/// A local variable's name and live range, for debug information.
struct LocVar {
  TString* varname;
  int startpc;  ///< first pc where the variable is active
  int endpc;    ///< first pc where it is dead
};

/// An absolute line number at instruction `pc`; the relative `lineinfo`
/// deltas restart from these (chapter 7).
struct AbsLineInfo {
  int pc;
  int line;
};

/// A compiled function: code, constants, nested functions and debug data.
struct Proto : GCObject {
  lu_byte numparams;     ///< number of fixed parameters
  lu_byte is_vararg;     ///< declared with '...'?
  lu_byte maxstacksize;  ///< registers the function needs
  int sizeupvalues;
  int sizek;
  int sizecode;
  int sizelineinfo;
  int sizep;  ///< number of nested functions
  int sizelocvars;
  int sizeabslineinfo;
  int linedefined;
  int lastlinedefined;
  TValue* k;                 ///< constants
  Instruction* code;         ///< bytecode
  Proto** p;                 ///< nested functions
  Upvaldesc* upvalues;       ///< upvalue descriptions
  ls_byte* lineinfo;         ///< line deltas, one per instruction
  AbsLineInfo* abslineinfo;  ///< absolute lines every so often
  LocVar* locvars;           ///< local variables
  TString* source;           ///< chunk name
  GCObject* gclist;
};

// ---------------------------------------------------------------------------
// Upvalues and closures
// ---------------------------------------------------------------------------

/// An upvalue. While open it points into a thread's stack and sits in that
/// thread's list of open upvalues; when its scope ends it is closed: the
/// value moves into `u.value` and `v` points there (chapter 5).
struct UpVal : GCObject {
  TValue* v;  ///< the stack slot (open) or u.value (closed)
  union {
    struct {
      UpVal* next;       ///< next open upvalue, lower in the stack
      UpVal** previous;  ///< the link that points to this one
    } open;
    TValue value;  ///< the value, once closed
  } u;
};

/// A C closure: a C function with `nupvalues` upvalues stored as values
/// right after the struct.
struct CClosure : GCObject {
  lu_byte nupvalues;
  GCObject* gclist;
  lua_CFunction f;
  TValue* upvalue() {
    return reinterpret_cast<TValue*>(reinterpret_cast<char*>(this) +
                                     sizeof(CClosure));
  }
};

/// A Lua closure: a prototype with `nupvalues` pointers to UpVal objects
/// right after the struct.
struct LClosure : GCObject {
  lu_byte nupvalues;
  GCObject* gclist;
  Proto* p;
  UpVal** upvals() {
    return reinterpret_cast<UpVal**>(reinterpret_cast<char*>(this) +
                                     sizeof(LClosure));
  }
};

/// Either kind of closure; both start with the same fields.
union Closure {
  CClosure c;
  LClosure l;
};

/// Size of a C closure with `n` upvalues.
constexpr std::size_t sizeCclosure(int n) {
  return sizeof(CClosure) + sizeof(TValue) * static_cast<unsigned>(n);
}
/// Size of a Lua closure with `n` upvalues.
constexpr std::size_t sizeLclosure(int n) {
  return sizeof(LClosure) + sizeof(UpVal*) * static_cast<unsigned>(n);
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/// A hash-part slot. Its value is a TValue at offset 0 (`i_val`); the key
/// is stored beside it in unpacked form (`key_tt`, `key_val`), its tag and
/// the chain link `next` filling the padding after the value's tag, so a
/// node costs 24 bytes instead of the 40 of two TValues and a link (the
/// layout checks below pin both figures). `next` is the offset to the next
/// node of the same collision chain (chapter 4).
union Node {
  struct NodeKey {
    Value value_;  ///< the value's payload
    lu_byte tt_;   ///< the value's tag
    lu_byte key_tt;
    int next;
    Value key_val;
  } u;
  TValue i_val;  ///< the value as a TValue
};

/// A table: an array part of `alimit` values and a hash part of
/// 2^lsizenode nodes (chapter 4).
struct Table : GCObject {
  lu_byte flags;        ///< 1 bit per absent metamethod (a cache)
  lu_byte lsizenode;    ///< log2 of the size of `node`
  unsigned int alimit;  ///< size of `array`, or a hint for '#' (chapter 4)
  TValue* array;
  Node* node;
  Node* lastfree;  ///< every free node lies below this one
  Table* metatable;
  GCObject* gclist;
};

// ---------------------------------------------------------------------------
// From values to objects and back
// ---------------------------------------------------------------------------

// GCObject to concrete object: the tag checks invariant TAG in debug builds.
inline TString* gco2ts(GCObject* o) {
  return check_exp(novariant(o->tt) == LUA_TSTRING, static_cast<TString*>(o));
}
inline Udata* gco2u(GCObject* o) {
  return check_exp(o->tt == LUA_VUSERDATA, static_cast<Udata*>(o));
}
inline LClosure* gco2lcl(GCObject* o) {
  return check_exp(o->tt == LUA_VLCL, static_cast<LClosure*>(o));
}
inline CClosure* gco2ccl(GCObject* o) {
  return check_exp(o->tt == LUA_VCCL, static_cast<CClosure*>(o));
}
inline Closure* gco2cl(GCObject* o) {
  return check_exp(novariant(o->tt) == LUA_TFUNCTION,
                   reinterpret_cast<Closure*>(o));
}
inline Table* gco2t(GCObject* o) {
  return check_exp(o->tt == LUA_VTABLE, static_cast<Table*>(o));
}
inline Proto* gco2p(GCObject* o) {
  return check_exp(o->tt == LUA_VPROTO, static_cast<Proto*>(o));
}
inline UpVal* gco2upv(GCObject* o) {
  return check_exp(o->tt == LUA_VUPVAL, static_cast<UpVal*>(o));
}
/// Any object to its header.
inline GCObject* obj2gco(GCObject* v) {
  return v;
}
inline GCObject* obj2gco(Closure* v) {
  return reinterpret_cast<GCObject*>(v);
}

// Values to objects.
inline TString* tsvalue(const TValue* o) {
  return check_exp(ttisstring(o), gco2ts(o->value_.gc));
}
inline Udata* uvalue(const TValue* o) {
  return check_exp(ttisfulluserdata(o), gco2u(o->value_.gc));
}
inline Table* hvalue(const TValue* o) {
  return check_exp(ttistable(o), gco2t(o->value_.gc));
}
inline LClosure* clLvalue(const TValue* o) {
  return check_exp(ttisLclosure(o), gco2lcl(o->value_.gc));
}
inline CClosure* clCvalue(const TValue* o) {
  return check_exp(ttisCclosure(o), gco2ccl(o->value_.gc));
}
inline Closure* clvalue(const TValue* o) {
  return check_exp(ttisclosure(o), gco2cl(o->value_.gc));
}
/// The bytes and length of a string value.
inline const char* svalue(const TValue* o) {
  return getstr(tsvalue(o));
}
inline std::size_t vslen(const TValue* o) {
  return tsslen(tsvalue(o));
}

// Objects to values.
inline void setsvalue(lua_State* L, TValue* o, TString* x) {
  setgcovalue(L, o, x);
}
inline void setsvalue2s(lua_State* L, StkId o, TString* x) {
  setsvalue(L, s2v(o), x);
}
inline void setsvalue2n(lua_State* L, TValue* o, TString* x) {
  setsvalue(L, o, x);
}
inline void setuvalue(lua_State* L, TValue* o, Udata* x) {
  setgcovalue(L, o, x);
}
inline void sethvalue(lua_State* L, TValue* o, Table* x) {
  setgcovalue(L, o, x);
}
inline void sethvalue2s(lua_State* L, StkId o, Table* x) {
  sethvalue(L, s2v(o), x);
}
inline void setclLvalue(lua_State* L, TValue* o, LClosure* x) {
  setgcovalue(L, o, x);
}
inline void setclLvalue2s(lua_State* L, StkId o, LClosure* x) {
  setclLvalue(L, s2v(o), x);
}
inline void setclCvalue(lua_State* L, TValue* o, CClosure* x) {
  setgcovalue(L, o, x);
}

// ---------------------------------------------------------------------------
// Layout checks (invariant SIZES): Lua 5.4's sizes on LP64.
// ---------------------------------------------------------------------------

static_assert(sizeof(Value) == 8 && sizeof(TValue) == 16);
static_assert(sizeof(StackValue) == 16);
static_assert(sizeof(TString) == 24, "contents start at byte 24, as in Lua");
static_assert(sizeof(Udata0) == 32 && sizeof(Udata) == 40);
static_assert(sizeof(UValue) == 16);
static_assert(sizeof(Node) == 24);
// The Node overlay: the table code reads a node's value as the TValue
// `i_val`, which works only because the unpacked fields put the value's
// payload and tag exactly where a TValue has them.
static_assert(offsetof(Node, i_val) == 0 && offsetof(Node, u) == 0);
static_assert(offsetof(Node::NodeKey, value_) == offsetof(TValue, value_));
static_assert(offsetof(Node::NodeKey, tt_) == offsetof(TValue, tt_));
static_assert(offsetof(Node::NodeKey, key_val) == sizeof(TValue),
              "the key's tag and the link sit in the value's padding");
// What the packing saves: a node made of two TValues and a link (a local
// struct, measured at compile time) would be 40 bytes, 16 more than Node.
static_assert(
    [] {
      struct PlainNode {
        TValue val, key;
        int next;
      };
      return sizeof(PlainNode);
    }() == sizeof(Node) + 16,
    "two TValues and a link take 40 bytes");
static_assert(sizeof(Table) == 56);
static_assert(sizeof(UpVal) == 40);
static_assert(sizeof(CClosure) == 32 && sizeof(LClosure) == 32);
static_assert(sizeof(Proto) == 128);
static_assert(sizeof(Upvaldesc) == 16 && sizeof(LocVar) == 16);

// ---------------------------------------------------------------------------
// lobject.c: numbers, strings and messages
// ---------------------------------------------------------------------------

/// Size of a buffer big enough for any number converted by tostringbuff.
inline constexpr int MAXNUMBER2STR = 44;
/// Size of the buffer of luaO_utf8esc.
inline constexpr int UTF8BUFFSZ = 8;

/// ceil(log2(x)) for x >= 1.
int luaO_ceillog2(unsigned int x);
/// Performs arithmetic operator `op` (LUA_OPADD ...) on numbers, following
/// Lua's integer/float rules. Returns false (and leaves `res` alone) when
/// an operand is not a number or, for bitwise operators, not convertible to
/// an integer. Integer division and modulo by zero raise errors.
bool luaO_rawarith(lua_State* L, int op, const TValue* p1, const TValue* p2,
                   TValue* res);
/// Value of hexadecimal digit `c`.
int luaO_hexavalue(int c);
/// Converts string `s` to a number in `o` as Lua's lexer and tonumber do
/// (decimal and hexadecimal integers and floats, surrounding spaces). An
/// integer numeral that overflows becomes a float. Returns the size of the
/// string plus one (counting the '\0'), or 0 if it is not a numeral.
std::size_t luaO_str2num(const char* s, TValue* o);
/// Writes the UTF-8 encoding of `x` (up to 2^31) backwards at the end of
/// `buff` (of UTF8BUFFSZ bytes); returns the number of bytes.
int luaO_utf8esc(char* buff, unsigned long x);
/// Writes number `obj` as Lua prints it ("%.14g", "1.0" for integral
/// floats, "inf", "-inf", "nan", "-nan") into `buff`; returns the length.
int luaO_tostringbuff(const TValue* obj, char* buff);
/// Formats a chunk name for messages ("[string \"...\"]", file names,
/// "=" names) into `out`, of `srclen` bytes of `source`, in LUA_IDSIZE
/// bytes at most.
void luaO_chunkid(char* out, const char* source, std::size_t srclen);
/// Formats `fmt` with Lua's directives (%s %c %d %I %f %p %U %%), pushes the
/// resulting string onto the stack and returns its contents. Needs the
/// `pushstring` seam (installed by chapter 5); raises an error for an
/// invalid directive.
const char* luaO_pushvfstring(lua_State* L, const char* fmt, std::va_list argp);
const char* luaO_pushfstring(lua_State* L, const char* fmt, ...);

// Integer and float arithmetic helpers of lvm.c that luaO_rawarith needs;
// they come down to this chapter with it.

/// How a float with a fractional part converts to an integer: not at all
/// (F2Ieq), to its floor, or to its ceiling.
enum class F2Imod : lu_byte { F2Ieq, F2Ifloor, F2Iceil };
using enum F2Imod;

/// Converts float `n` to an integer in `*p` according to `mode`; false when
/// the result is not representable (out of range, NaN, or fractional with
/// F2Ieq). Lua uses it for table keys (2.0 is the key 2) and for loops.
bool luaV_flttointns(lua_Number n, lua_Integer* p, F2Imod mode);

/// The integer value of number `obj` (an integer, or a float converted
/// by `mode`); false for non-numbers and unrepresentable floats. Lua's
/// version also converts numeric strings; that coercion is chapter 8's.
bool luaV_tointegerns(const TValue* obj, lua_Integer* p, F2Imod mode);

/// Floor division of integers; raises "attempt to divide by zero".
lua_Integer luaV_idiv(lua_State* L, lua_Integer m, lua_Integer n);
/// Integer modulo with the sign of the divisor; raises
/// "attempt to perform 'n%0'".
lua_Integer luaV_mod(lua_State* L, lua_Integer m, lua_Integer n);
/// Float modulo with the sign of the divisor.
lua_Number luaV_modf(lua_State* L, lua_Number m, lua_Number n);
/// Logical shift left (right for negative `y`); shifts of 64 or more give 0.
lua_Integer luaV_shiftl(lua_Integer x, lua_Integer y);

}  // namespace lua
