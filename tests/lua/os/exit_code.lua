-- needs: os io
-- os.exit with an integer ends the program at once with that status;
-- buffered output is flushed, later code does not run. A non-integral
-- code is an argument error.
print(pcall(os.exit, 2.5))
print(pcall(os.exit, "x"))
io.write("buffered, no newline")
os.exit(3)
print("not reached")
