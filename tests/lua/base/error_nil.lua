-- Ends with error() without a value: "(error object is a nil value)" and
-- a traceback, exit status 1; standard error contains the script path.
error()
