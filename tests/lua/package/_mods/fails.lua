-- A module whose body raises an error.
error("failing module body")
