/**
 * One Adam step over a parameter array, in float64 arithmetic in exactly the order of the TypeScript
 * loop in lib/nn/optimizers/adam.ts (two weights per step), so both give bit-identical results.
 */
export function adamStep(
  w: usize, g: usize, m: usize, v: usize, length: i32,
  beta1: f64, oneMinusBeta1: f64, beta2: f64, oneMinusBeta2: f64,
  stepSize: f64, epsilonHat: f64, coupled: f64, shrink: f64,
): void {
  const b1 = f64x2.splat(beta1);
  const c1 = f64x2.splat(oneMinusBeta1);
  const b2 = f64x2.splat(beta2);
  const c2 = f64x2.splat(oneMinusBeta2);
  const step = f64x2.splat(stepSize);
  const eps = f64x2.splat(epsilonHat);
  const dec = f64x2.splat(coupled);
  const shr = f64x2.splat(shrink);
  let i = 0;
  for (; i + 2 <= length; i += 2) {
    const at = <usize>i << 2;
    const wi = f64x2.promote_low_f32x4(v128.load64_zero(w + at));
    const gi = f64x2.promote_low_f32x4(v128.load64_zero(g + at));
    const grad = f64x2.add(gi, f64x2.mul(dec, wi));
    const mOld = f64x2.promote_low_f32x4(v128.load64_zero(m + at));
    const vOld = f64x2.promote_low_f32x4(v128.load64_zero(v + at));
    // Rounded to float32 on store, and read back as such, like the Float32Array in TypeScript.
    const mNew = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b1, mOld), f64x2.mul(c1, grad)));
    const vNew = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b2, vOld), f64x2.mul(f64x2.mul(c2, grad), grad)));
    v128.store64_lane(m + at, mNew, 0);
    v128.store64_lane(v + at, vNew, 0);
    const mi = f64x2.promote_low_f32x4(mNew);
    const vi = f64x2.promote_low_f32x4(vNew);
    const update = f64x2.div(f64x2.mul(step, mi), f64x2.add(f64x2.sqrt(vi), eps));
    v128.store64_lane(w + at, f32x4.demote_f64x2_zero(f64x2.sub(f64x2.mul(shr, wi), update)), 0);
  }
  for (; i < length; i++) {
    const at = <usize>i << 2;
    const wi = <f64>load<f32>(w + at);
    const grad = <f64>load<f32>(g + at) + coupled * wi;
    const mi = <f64><f32>(beta1 * <f64>load<f32>(m + at) + oneMinusBeta1 * grad);
    const vi = <f64><f32>(beta2 * <f64>load<f32>(v + at) + oneMinusBeta2 * grad * grad);
    store<f32>(m + at, <f32>mi);
    store<f32>(v + at, <f32>vi);
    store<f32>(w + at, <f32>(shrink * wi - (stepSize * mi) / (Math.sqrt(vi) + epsilonHat)));
  }
}
