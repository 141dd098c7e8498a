// A lookup table from token ids to vectors.
//
// Reference: `torch.nn.Embedding` (PyTorch 2.x): `weight` has shape
// [num_embeddings, embedding_dim], initialised from N(0, 1) (`reset_parameters` calls
// `init.normal_`). Looking up ids is a row gather; in the backward pass the rows' gradients
// are scattered back, and an id that appears several times accumulates all its gradients.
// Models that want another init (BERT and GPT-2 use N(0, 0.02²)) pass `std`.
// `paddingIdx` (PyTorch's `padding_idx`) marks a row that gets no gradient: BERT's [PAD] row
// stays as it is however many padded positions a batch has.
// Not implemented: `max_norm`, sparse gradients.

/// A table of `numEmbeddings` vectors of size `embeddingDim`, looked up by integer id.
///
///     var rng = SeededGenerator(seed: 0)
///     let wte = Embedding(numEmbeddings: 50257, embeddingDim: 768, std: 0.02, using: &rng)
///     let h = wte([[464, 2068, 7586]])   // (1, 3, 768)
public final class Embedding: Module {
    /// The table, shape [numEmbeddings, embeddingDim]; row i is the vector of id i.
    ///
    ///     wte.weight.shape   // [50257, 768]
    public let weight: Parameter
    /// Training mode flag (unused: a lookup behaves the same in both modes).
    ///
    ///     wte.training   // true until eval()
    public var training = true
    /// A row that lookups read but never train (PyTorch's `padding_idx`); nil for none.
    ///
    ///     embeddings.wordEmbeddings.paddingIdx   // 0, BERT's [PAD]
    public var paddingIdx: Int?

    /// The number of rows (the vocabulary size).
    ///
    ///     wte.numEmbeddings   // 50257
    public var numEmbeddings: Int { weight.shape[0] }
    /// The size of each vector.
    ///
    ///     wte.embeddingDim   // 768
    public var embeddingDim: Int { weight.shape[1] }

    /// A table initialised from N(0, std²); `std` defaults to 1, PyTorch's default.
    ///
    ///     var rng = SeededGenerator(seed: 0)
    ///     let positions = Embedding(numEmbeddings: 512, embeddingDim: 64, using: &rng)
    public init(numEmbeddings: Int, embeddingDim: Int, std: Float = 1, using generator: inout SeededGenerator) {
        require(numEmbeddings > 0 && embeddingDim > 0,
                "Embedding: numEmbeddings and embeddingDim must be positive, got \(numEmbeddings) and \(embeddingDim)")
        weight = Parameter(Tensor.randn([numEmbeddings, embeddingDim], std: std, using: &generator))
    }

    /// A table with the given rows, shape [numEmbeddings, embeddingDim].
    ///
    ///     let table = Embedding(weight: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
    ///     table([1]).scalars   // [3, 4]
    public init(weight: Tensor) {
        require(weight.rank == 2, "Embedding: weight must have shape [numEmbeddings, embeddingDim], got \(weight.shape)")
        self.weight = Parameter(weight)
    }

    /// `weight`, PyTorch's name.
    ///
    ///     wte.ownParameters.map(\.name)   // ["weight"]
    /// A table over an existing parameter [numEmbeddings, embeddingDim] (shared when tied).
    ///
    ///     let wte = Embedding(weight: Parameter(Tensor.zeros([50257, 768])))
    public init(weight: Parameter) {
        require(weight.shape.count == 2, "Embedding: weight must have shape [numEmbeddings, embeddingDim], got \(weight.shape)")
        self.weight = weight
    }

    public var ownParameters: NamedParameters { [("weight", weight)] }

    /// The vectors of a sequence of ids: [T] → (T, embeddingDim).
    ///
    ///     let vectors = table([5, 0, 5])   // (3, D); rows 0 and 2 are the same vector
    ///
    /// - Precondition: every id is in `0..<numEmbeddings`.
    public func callAsFunction(_ ids: [Int]) -> Tensor {
        checkIDs(ids)
        return weight.value.gathered(indices: ids, axis: 0, frozenIndex: paddingIdx)   // (T, D)
    }

    /// The vectors of a batch of equally long sequences: [B][T] → (B, T, embeddingDim).
    ///
    ///     let h = table([[1, 2, 3], [4, 5, 6]])   // (2, 3, D)
    ///
    /// - Precondition: every row has the same length and every id is in `0..<numEmbeddings`.
    public func callAsFunction(_ ids: [[Int]]) -> Tensor {
        let length = ids.first?.count ?? 0
        require(ids.allSatisfy { $0.count == length },
                "Embedding: the sequences of a batch must have the same length (pad them); got lengths \(ids.map(\.count))")
        let flat = ids.flatMap { $0 }
        checkIDs(flat)
        return weight.value.gathered(indices: flat, axis: 0, frozenIndex: paddingIdx)   // (B·T, D)
            .reshaped([ids.count, length, embeddingDim])       // (B, T, D)
    }

    private func checkIDs(_ ids: [Int]) {
        if let bad = ids.first(where: { $0 < 0 || $0 >= numEmbeddings }) {
            fatalError("Embedding: id \(bad) is out of range for a table of \(numEmbeddings) rows (valid: 0..<\(numEmbeddings))")
        }
    }
}
