// Fixture: a chapter-1 header that includes a chapter-2 header (forbidden).
#include "lobject/high.hpp"
