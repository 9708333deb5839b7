-- A module that stores itself in package.loaded and returns nothing.
package.loaded[...] = {registered = "by itself"}
