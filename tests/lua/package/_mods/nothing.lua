-- A module that returns nothing: require gives true.
NOTHING_RAN = true
