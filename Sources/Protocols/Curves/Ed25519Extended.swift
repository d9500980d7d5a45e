/// edwards25519 points for the variable-time code, in the coordinate systems of Hisil-Wong-Carter-Dawson
/// 2008 (a = −1) as curve25519-dalek arranges them: extended (X:Y:Z:T) with x = X/Z, y = Y/Z, xy = T/Z;
/// projective (X:Y:Z) for doubling chains; "completed" ((X:Z), (Y:T)) as the output of an addition or a
/// doubling; and cached (Y+X, Y−X, Z, 2d·T) for a point added many times. Public values only.
extension Ed25519Vartime {
    struct Point: Sendable {
        var X, Y, Z, T: FE
        static let identity = Point(X: .zero, Y: .one, Z: .one, T: .zero)

        init(X: FE, Y: FE, Z: FE, T: FE) { self.X = X; self.Y = Y; self.Z = Z; self.T = T }

        /// RFC 8032 §5.1.3 decoding: nil for a wrong length, y ≥ p, or a y with no x on the curve (or x = 0
        /// with the sign bit set). Does not check the subgroup.
        init?(encoding b: [UInt8]) {
            guard b.count == 32 else { return nil }
            let y = FE(bytes: b)
            let yr = y.reduced()
            guard yr.l0 == y.l0, yr.l1 == y.l1, yr.l2 == y.l2, yr.l3 == y.l3, yr.l4 == y.l4 else { return nil }
            let sign = b[31] >> 7
            let yy = y.squared()
            let u = yy - .one, v = Ed25519Vartime.d * yy + .one
            let v3 = v.squared() * v
            var x = u * v3 * (u * v3.squared() * v).pow22523()
            let vxx = v * x.squared()
            if !(vxx == u) {
                guard vxx == -u else { return nil }
                x = x * Ed25519Vartime.sqrtM1
            }
            let xr = x.reduced()
            if xr.isZero && sign == 1 { return nil }
            if UInt8(truncatingIfNeeded: xr.l0 & 1) != sign { x = -x }
            self.init(X: x, Y: y, Z: .one, T: x * y)
        }

        /// The canonical compressed encoding (one field inversion).
        func encoding() -> [UInt8] {
            let zi = Z.inverted()
            var out = (Y * zi).bytes()
            if (X * zi).isNegative { out[31] |= 0x80 }
            return out
        }

        var isIdentity: Bool { X.isZero && Y == Z }

        /// Equality of the affine points: X1·Z2 = X2·Z1 and Y1·Z2 = Y2·Z1.
        static func == (p: Point, q: Point) -> Bool { p.X * q.Z == q.X * p.Z && p.Y * q.Z == q.Y * p.Z }

        static prefix func - (p: Point) -> Point { Point(X: -p.X, Y: p.Y, Z: p.Z, T: -p.T) }

        var cached: Cached { Cached(yPlusX: Y + X, yMinusX: Y - X, Z: Z, t2d: T * Ed25519Vartime.d2) }
        var projective: Projective { Projective(X: X, Y: Y, Z: Z) }

        static func + (p: Point, q: Point) -> Point { (p + q.cached).extended }
        static func - (p: Point, q: Point) -> Point { (p - q.cached).extended }
        func doubled() -> Point { projective.doubled().extended }

        @inline(__always)
        static func + (p: Point, q: Cached) -> Completed {
            let pp = (p.Y + p.X) * q.yPlusX, mm = (p.Y - p.X) * q.yMinusX
            let tt = p.T * q.t2d, zz = p.Z * q.Z
            let zz2 = zz + zz
            return Completed(X: pp - mm, Y: pp + mm, Z: zz2 + tt, T: zz2 - tt)
        }

        @inline(__always)
        static func - (p: Point, q: Cached) -> Completed {
            let pm = (p.Y + p.X) * q.yMinusX, mp = (p.Y - p.X) * q.yPlusX
            let tt = p.T * q.t2d, zz = p.Z * q.Z
            let zz2 = zz + zz
            return Completed(X: pm - mp, Y: pm + mp, Z: zz2 - tt, T: zz2 + tt)
        }
    }

    struct Cached: Sendable {
        var yPlusX, yMinusX, Z, t2d: FE
    }

    struct Projective: Sendable {
        var X, Y, Z: FE
        static let identity = Projective(X: .zero, Y: .one, Z: .one)

        /// dbl-2008-hwcd (a = −1): 4 squarings.
        @inline(__always)
        func doubled() -> Completed {
            let xx = X.squared(), yy = Y.squared(), zz = Z.squared()
            let xy2 = (X + Y).squared()
            let yyPlusXX = yy + xx, yyMinusXX = yy - xx
            return Completed(X: xy2 - yyPlusXX, Y: yyPlusXX, Z: yyMinusXX, T: (zz + zz) - yyMinusXX)
        }
    }

    /// ((X:Z), (Y:T)): x = X/Z, y = Y/T.
    struct Completed: Sendable {
        var X, Y, Z, T: FE
        /// The identity: (0:1), (1:1).
        static let identity = Completed(X: .zero, Y: .one, Z: .one, T: .one)

        @inline(__always) var extended: Point { Point(X: X * T, Y: Y * Z, Z: Z * T, T: X * Y) }
        @inline(__always) var projective: Projective { Projective(X: X * T, Y: Y * Z, Z: Z * T) }
    }
}
