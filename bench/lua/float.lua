-- float.lua: float arithmetic.
-- A Mandelbrot set count (float multiply-add in a tight while loop, float
-- comparisons), a small n-body simulation (float arithmetic on locals and
-- on array slots, ^ for the square root), and a float-stepped for loop.
-- The checksum prints floats with tostring, so the conversion of floats to
-- text (%.14g) is checked too.

local function mandelbrot(size, maxiter)
  local inside, total = 0, 0
  for py = 0, size - 1 do
    local ci = 2.0 * py / size - 1.0
    for px = 0, size - 1 do
      local cr = 2.5 * px / size - 2.0
      local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
      local iter = 0
      while iter < maxiter and zr2 + zi2 <= 4.0 do
        zi = 2.0 * zr * zi + ci
        zr = zr2 - zi2 + cr
        zr2, zi2 = zr * zr, zi * zi
        iter = iter + 1
      end
      total = total + iter
      if iter == maxiter then
        inside = inside + 1
      end
    end
  end
  return inside, total
end

-- Five bodies in arrays of coordinates: x, y, z, vx, vy, vz, mass.
local function nbody(steps)
  local x = { 0.0, 4.84, 8.34, 12.89, 15.38 }
  local y = { 0.0, -1.16, 4.12, -15.11, -25.92 }
  local z = { 0.0, -0.10, -0.40, -0.22, 0.18 }
  local vx = { 0.0, 0.606, -1.010, 1.082, 0.979 }
  local vy = { 0.0, 2.812, 1.825, 0.868, 0.594 }
  local vz = { 0.0, -0.025, 0.008, -0.010, -0.034 }
  local m = { 39.47, 0.0377, 0.0113, 0.0017, 0.0020 }
  local n, dt = #x, 0.01
  for _ = 1, steps do
    for i = 1, n do
      local xi, yi, zi, mi = x[i], y[i], z[i], m[i]
      for j = i + 1, n do
        local dx, dy, dz = xi - x[j], yi - y[j], zi - z[j]
        local d2 = dx * dx + dy * dy + dz * dz
        local mag = dt / (d2 * d2 ^ 0.5)
        local mj = m[j] * mag
        vx[i], vy[i], vz[i] = vx[i] - dx * mj, vy[i] - dy * mj, vz[i] - dz * mj
        local mm = mi * mag
        vx[j], vy[j], vz[j] = vx[j] + dx * mm, vy[j] + dy * mm, vz[j] + dz * mm
      end
    end
    for i = 1, n do
      x[i] = x[i] + dt * vx[i]
      y[i] = y[i] + dt * vy[i]
      z[i] = z[i] + dt * vz[i]
    end
  end
  local e = 0.0
  for i = 1, n do
    e = e + 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
    for j = i + 1, n do
      local dx, dy, dz = x[i] - x[j], y[i] - y[j], z[i] - z[j]
      e = e - m[i] * m[j] / (dx * dx + dy * dy + dz * dz) ^ 0.5
    end
  end
  return e
end

-- The trapezoid rule for the integral of 4 / (1 + t^2) over [0, 1], with a
-- float loop variable: approaches pi.
local function integrate(steps)
  local h = 1.0 / steps
  local sum = 0.0
  for t = h, 1.0 - h / 2, h do
    sum = sum + 4.0 / (1.0 + t * t)
  end
  return h * (sum + (4.0 + 2.0) / 2)
end

local inside, total = mandelbrot(600, 50)
print("float", inside, total, nbody(150000), integrate(4000000))
