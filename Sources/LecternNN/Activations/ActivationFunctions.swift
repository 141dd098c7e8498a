// Activation functions as free functions, with Hugging Face's names.
//
// References: V. Nair, G. Hinton (2010) for ReLU; D. Hendrycks, K. Gimpel, "Gaussian Error
// Linear Units (GELUs)" (2016) for GELU and its tanh approximation; S. Elfwing et al. (2017)
// and P. Ramachandran et al. (2017) for SiLU / swish. Names follow Hugging Face's `ACT2FN`
// (transformers/activations.py), because model configs name activations that way:
//   - "gelu"     = exact erf GELU (BERT),  x·Φ(x)
//   - "gelu_new" = tanh approximation (GPT-2), ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
// They differ by up to ~5e-4, enough to change a pretrained model's outputs: use the one the
// checkpoint was trained with.

/// max(0, x) elementwise.
///
///     relu(Tensor(shape: [3], scalars: [-1, 0, 2])).scalars   // [0, 0, 2]
public func relu(_ x: Tensor) -> Tensor { x.relu() }

/// The exact GELU, x·Φ(x) (erf form): HF's "gelu", used by BERT.
///
///     gelu(Tensor(shape: [2], scalars: [-1, 1])).scalars   // [-0.15865526, 0.8413447]
public func gelu(_ x: Tensor) -> Tensor { x.gelu() }

/// The tanh approximation of GELU: HF's "gelu_new" (= "gelu_pytorch_tanh"), used by GPT-2.
///
///     geluNew(Tensor(shape: [2], scalars: [-1, 1])).scalars   // [-0.15880796, 0.84119207]
public func geluNew(_ x: Tensor) -> Tensor { x.geluTanh() }

/// x·σ(1.702x), a cheaper GELU approximation: HF's "quick_gelu" (CLIP).
///
///     quickGelu(Tensor(shape: [1], scalars: [1])).scalars   // [0.8457…]
public func quickGelu(_ x: Tensor) -> Tensor { x * (x * 1.702).sigmoid() }

/// x·σ(x): HF's "silu" and "swish".
///
///     silu(Tensor(shape: [1], scalars: [1])).scalars   // [0.7310586]
public func silu(_ x: Tensor) -> Tensor { x * x.sigmoid() }

/// The hyperbolic tangent elementwise.
///
///     tanh(Tensor(shape: [1], scalars: [0.5])).scalars   // [0.46211717]
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }

/// The logistic sigmoid 1/(1 + e^−x) elementwise.
///
///     sigmoid(Tensor(shape: [1], scalars: [0])).scalars   // [0.5]
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
