/// The Transformer's learning rate (Vaswani et al. 2017, §5.3):
/// d^−0.5 · min(step^−0.5, step · warmup^−1.5), with step 0 counted as step 1.
func noamRate(step: Int, modelDim: Int, warmupSteps: Int) -> Double {
    let s = Double(max(step, 1))
    return pow(Double(modelDim), -0.5) * min(pow(s, -0.5), s * pow(Double(warmupSteps), -1.5))
}
