-- This file starts with a UTF-8 byte-order mark, which loading skips.
print("after the mark")
print(1 + 1)
