-- Ends with an uncaught error whose object is a number: numbers convert
-- to strings, so the report is "<progname>: 42" and a traceback.
error(42)
