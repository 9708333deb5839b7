-- needs: os io
-- os.exit() exits with status 0 (EXIT_SUCCESS) even after output to
-- stderr, and nil as the first argument means the same.
io.stderr:write("a message on stderr\n")
os.exit(nil)
