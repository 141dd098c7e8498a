// Building the standard layers from a ParameterScope, so a model can be created either fresh
// or straight from a checkpoint (ParameterStore.swift explains why).
//
// The initialisers default to PyTorch's own (`reset_parameters`); pretrained families pass
// theirs (BERT: weights N(0, 0.02²), biases 0, LayerNorm 1 and 0).

extension Linear {
    /// A linear layer whose `weight` [out, in] and `bias` [out] come from `scope`.
    ///
    ///     let query = Linear(scope("query"), inFeatures: 768, outFeatures: 768, weightInit: .normal(std: 0.02))
    ///     query.weight.shape   // [768, 768]
    public convenience init(_ scope: ParameterScope, inFeatures: Int, outFeatures: Int, bias: Bool = true,
                            weightInit: ParameterInitializer? = nil, biasInit: ParameterInitializer? = nil) {
        require(inFeatures > 0 && outFeatures > 0,
                "Linear: inFeatures and outFeatures must be positive, got \(inFeatures) and \(outFeatures)")
        let bound = 1 / Float(inFeatures).squareRoot()   // PyTorch's default, see Linear.swift
        let weight = scope.parameter("weight", shape: [outFeatures, inFeatures], initial: weightInit ?? .uniform(bound: bound))
        let b = bias ? scope.parameter("bias", shape: [outFeatures], initial: biasInit ?? .uniform(bound: bound)) : nil
        self.init(weight: weight, bias: b)
    }
}

extension LayerNorm {
    /// A layer norm over the last `dim` features whose `weight` and `bias` come from `scope`
    /// (new ones are 1 and 0).
    ///
    ///     let norm = LayerNorm(scope("LayerNorm"), dim: 768, eps: 1e-12)
    public convenience init(_ scope: ParameterScope, dim: Int, eps: Float, bias: Bool = true) {
        let weight = scope.parameter("weight", shape: [dim], initial: .ones)
        let b = bias ? scope.parameter("bias", shape: [dim], initial: .zeros) : nil
        self.init(weight: weight, bias: b, eps: eps)
    }
}

extension Embedding {
    /// An embedding table [numEmbeddings, embeddingDim] from `scope` (new ones N(0, std²)).
    ///
    ///     let positions = Embedding(scope("position_embeddings"), numEmbeddings: 512, embeddingDim: 768, std: 0.02)
    public convenience init(_ scope: ParameterScope, numEmbeddings: Int, embeddingDim: Int, std: Float = 1) {
        require(numEmbeddings > 0 && embeddingDim > 0,
                "Embedding: numEmbeddings and embeddingDim must be positive, got \(numEmbeddings) and \(embeddingDim)")
        self.init(weight: scope.parameter("weight", shape: [numEmbeddings, embeddingDim], initial: .normal(std: std)))
    }
}
