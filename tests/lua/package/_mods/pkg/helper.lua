-- The sibling module of pkg.
return "helper of pkg"
